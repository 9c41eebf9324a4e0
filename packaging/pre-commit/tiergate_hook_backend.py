"""PEP 517 build backend of the pre-commit hook package (the repository root's
pyproject.toml).

pre-commit installs a `language: python` hook repository with `pip install .`. Here
that installs a package with no code whose one dependency is the prebuilt `tiergate`
wheel of the same version: pip fetches the binary for the platform in seconds and
compiles nothing; the hooks run the `tiergate` it installs. This backend builds that
empty package itself, with the standard
library only, so the install needs no build tool from an index (setuptools is not
fetched) and works with an index that holds nothing but tiergate's wheels.

The version below must be the crate's (Cargo.toml); a test checks it.
"""

import base64
import hashlib
import io
import os
import tarfile
import zipfile

NAME = "tiergate-pre-commit"
VERSION = "0.1.0"
REQUIRES = ["tiergate==" + VERSION]
SUMMARY = "pre-commit hooks for tiergate: installs the prebuilt tiergate wheel"

_DIST = NAME.replace("-", "_")
_DIST_INFO = "%s-%s.dist-info" % (_DIST, VERSION)
# Fixed times: the same source gives the same archive bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _metadata():
    lines = [
        "Metadata-Version: 2.1",
        "Name: " + NAME,
        "Version: " + VERSION,
        "Summary: " + SUMMARY,
        "License: Apache-2.0",
        "Requires-Python: >=3.8",
    ]
    lines += ["Requires-Dist: " + r for r in REQUIRES]
    return ("\n".join(lines) + "\n").encode()


def _wheel_file():
    return (
        "Wheel-Version: 1.0\n"
        "Generator: tiergate_hook_backend\n"
        "Root-Is-Purelib: true\n"
        "Tag: py3-none-any\n"
    ).encode()


_HERE = os.path.dirname(os.path.abspath(__file__))


def _dist_info_files():
    return [
        (_DIST_INFO + "/METADATA", _metadata()),
        (_DIST_INFO + "/WHEEL", _wheel_file()),
    ]


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "%s,sha256=%s,%d" % (name, digest.decode(), len(data))


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    target = os.path.join(metadata_directory, _DIST_INFO)
    os.makedirs(target, exist_ok=True)
    for name, data in _dist_info_files():
        with open(os.path.join(metadata_directory, name), "wb") as f:
            f.write(data)
    return _DIST_INFO


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    filename = "%s-%s-py3-none-any.whl" % (_DIST, VERSION)
    files = _dist_info_files()
    record_name = _DIST_INFO + "/RECORD"
    record = "\n".join([_record_line(n, d) for n, d in files] + [record_name + ",,"])
    files.append((record_name, (record + "\n").encode()))
    with zipfile.ZipFile(
        os.path.join(wheel_directory, filename), "w", zipfile.ZIP_DEFLATED
    ) as z:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return filename


def build_sdist(sdist_directory, config_settings=None):
    root = os.path.dirname(os.path.dirname(_HERE))
    base = "%s-%s" % (_DIST, VERSION)
    filename = base + ".tar.gz"
    members = [
        ("pyproject.toml", os.path.join(root, "pyproject.toml")),
        (
            "packaging/pre-commit/tiergate_hook_backend.py",
            os.path.abspath(__file__),
        ),
    ]
    pkg_info = _metadata()
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz") as tar:
        info = tarfile.TarInfo(base + "/PKG-INFO")
        info.size = len(pkg_info)
        info.mode = 0o644
        tar.addfile(info, io.BytesIO(pkg_info))
        for arcname, path in members:
            with open(path, "rb") as f:
                data = f.read()
            info = tarfile.TarInfo(base + "/" + arcname)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return filename
