// Defaults, overridden by environment variables.
module.exports = {
  port: process.env.PORT || 8080,
  databaseUrl: process.env.DATABASE_URL || 'postgres://localhost:5432/tinycms',
  // Key for encrypting settings at rest (AES-256-GCM, 32 bytes hex).
  encryptionKey: process.env.ENCRYPTION_KEY || '31aa69a7ee727019b898cbc861ec3d764e4173fc28acd8a8551d9c4fb5db0702',
  sessionMaxAgeMs: 8 * 60 * 60 * 1000,
};
