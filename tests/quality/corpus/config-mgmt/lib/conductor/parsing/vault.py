import hashlib
import hmac

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


class VaultAES256:
    """Encrypt and decrypt vault files with a key derived from the vault password."""

    @staticmethod
    def _derive(b_password, b_salt):
        derived = hashlib.pbkdf2_hmac("sha256", b_password, b_salt, 10000, dklen=80)
        return derived[:32], derived[32:64], derived[64:80]

    @classmethod
    def encrypt(cls, b_plaintext, b_password, b_salt):
        key1, key2, iv = cls._derive(b_password, b_salt)
        encryptor = Cipher(algorithms.AES(key1), modes.CTR(iv)).encryptor()
        b_ciphertext = encryptor.update(b_plaintext) + encryptor.finalize()
        return b_ciphertext, hmac.new(key2, b_ciphertext, hashlib.sha256).hexdigest()
