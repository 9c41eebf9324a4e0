# Baseline pack: the few classifications every repository needs.
#
# Works on facts only: zones are the config's path globs, matched in Rust (globset), and
# git is the walk's git state. No glob.match/regex.match here: those lock a global cache
# and clone the matcher on every call (DESIGN §4), and re-matching paths would let Rego
# and the Rust side disagree.
#
# Rule heads start in column 1 and carry the literal "rule" id: tiergate reads the line
# of each finding's source from that layout.
package tiergate.baseline

import rego.v1

# Private keys, keystores, .env files and the like. Templates (.env.example, *.sample)
# share those names but hold placeholders, so they are left to other rules. A file whose
# PEM blocks are all public (certificates, public keys: the secrets detector's
# `certificate.public_pem`) is public material under a credential's name (`ca.pem`); a
# dotenv file whose every value was read and none is a credential (`config.plain_env`:
# `DEBUG=1`, `PORT=8080`) is configuration; a template whose credential values are all
# template expressions (`config.template`: a chart's `templates/secrets.yaml` holding
# `password: {{ .Values.db.password | b64enc }}`) renders credentials but holds none.
findings contains {
	"code": "credential-file",
	"tier": 1,
	"rule": "credential-file-name",
	"reason": "File name marks a credential or key store",
} if {
	"credential-files" in input.file.zones
	not "credential-templates" in input.file.zones
	not public_material
}

public_material if {
	some s in input.file.signals
	s.id in {"certificate.public_pem", "config.plain_env", "config.template"}
}

# A dump nobody committed is a local copy of production data: the agents' favourite leak.
findings contains {
	"code": "local-data-dump",
	"tier": 1,
	"rule": "data-dump-local",
	"reason": "Local data dump outside version control",
} if {
	"data-dumps" in input.file.zones
	input.file.git in {"ignored", "untracked"}
	not without_rows
}

# A committed dump (or one in a directory without git) was at least reviewed into the
# repository; still confidential, never cloud.
findings contains {
	"code": "data-dump",
	"tier": 2,
	"rule": "data-dump-tracked",
	"reason": "Database dump or archive checked in",
} if {
	"data-dumps" in input.file.zones
	input.file.git in {"tracked", "no-repo"}
	not without_rows
}

# SQL text read whole in which the personal-data family's SQL reader found no row (no
# INSERT, COPY, REPLACE or VALUES anywhere: DDL, migrations without data, queries,
# macros) is schema or code under a dump's extension, not a dump. A file over the
# content limit was not read whole: it stays a dump.
without_rows if {
	some s in input.file.signals
	s.id == "schema.sql_without_rows"
	input.file.size_class != "large"
}

# Logs that git ignores were written by running the software and may hold user data.
findings contains {
	"code": "local-log",
	"tier": 2,
	"rule": "log-ignored",
	"reason": "Ignored log file may hold personal data",
} if {
	"logs" in input.file.zones
	input.file.git == "ignored"
}
