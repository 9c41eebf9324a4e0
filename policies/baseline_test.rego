# Tests for the baseline pack. `cargo test` runs every `test_*` rule of every shipped
# `*_test.rego` (src/policy/rego_tests.rs); `opa test policies/` works too.
package tiergate.baseline_test

import rego.v1

import data.tiergate.baseline

# The input document as tiergate builds it (src/policy/mod.rs, RegoInput).
file(zones, git) := {
	"input_version": 1,
	"file": {
		"kind": "text",
		"extension": null,
		"language": null,
		"size_class": "small",
		"git": git,
		"zones": zones,
		"rules": [],
		"content_scanned": true,
		"signals": [],
	},
}

# (code, tier, rule) of every finding for the given zones and git state.
hits(zones, git) := {[f.code, f.tier, f.rule] | some f in fs} if {
	fs := baseline.findings with input as file(zones, git)
}

test_credential_file_fires if {
	hits(["credential-files"], "ignored") == {["credential-file", 1, "credential-file-name"]}
}

test_credential_file_fires_when_tracked if {
	hits(["credential-files", "ci"], "tracked") == {["credential-file", 1, "credential-file-name"]}
}

test_credential_template_does_not_fire if {
	hits(["credential-files", "credential-templates"], "tracked") == set()
}

test_template_alone_does_not_fire if {
	hits(["credential-templates"], "untracked") == set()
}

test_local_data_dump_fires_when_ignored if {
	hits(["data-dumps"], "ignored") == {["local-data-dump", 1, "data-dump-local"]}
}

test_local_data_dump_fires_when_untracked if {
	hits(["data-dumps"], "untracked") == {["local-data-dump", 1, "data-dump-local"]}
}

test_data_dump_fires_when_tracked if {
	hits(["data-dumps"], "tracked") == {["data-dump", 2, "data-dump-tracked"]}
}

test_data_dump_fires_without_repo if {
	hits(["data-dumps"], "no-repo") == {["data-dump", 2, "data-dump-tracked"]}
}

test_local_log_fires_when_ignored if {
	hits(["logs"], "ignored") == {["local-log", 2, "log-ignored"]}
}

test_tracked_log_does_not_fire if {
	hits(["logs"], "tracked") == set()
}

test_untracked_log_does_not_fire if {
	hits(["logs"], "untracked") == set()
}

test_other_zones_do_not_fire if {
	hits(["tests", "docs", "vendor", "ci"], "ignored") == set()
}

test_no_zones_do_not_fire if {
	hits([], "ignored") == set()
}

test_findings_carry_reasons if {
	fs := baseline.findings with input as file(["credential-files", "data-dumps", "logs"], "ignored")
	count(fs) == 3
	every f in fs {
		is_string(f.reason)
		f.reason != ""
	}
}

test_dump_and_credential_together if {
	hits(["credential-files", "data-dumps"], "ignored") == {
		["credential-file", 1, "credential-file-name"],
		["local-data-dump", 1, "data-dump-local"],
	}
}

test_certificate_only_pem_is_not_a_credential_file if {
	inp := {"input_version": 2, "file": {
		"kind": "text", "extension": "pem", "language": null, "size_class": "small",
		"git": "tracked", "zones": ["credential-files"], "rules": [], "content_scanned": true,
		"signals": [{"id": "certificate.public_pem", "category": "certificate", "confidence": "high", "count": 1}],
	}}
	fs := baseline.findings with input as inp
	count(fs) == 0
}

test_plain_dotenv_is_not_a_credential_file if {
	inp := {"input_version": 2, "file": {
		"kind": "text", "extension": null, "language": null, "size_class": "small",
		"git": "tracked", "zones": ["credential-files"], "rules": [], "content_scanned": true,
		"signals": [{"id": "config.plain_env", "category": "config", "confidence": "high", "count": 1}],
	}}
	fs := baseline.findings with input as inp
	count(fs) == 0
}

sql_without_rows(git, size_class) := object.union(file(["data-dumps"], git), {"file": {
	"size_class": size_class,
	"signals": [{"id": "schema.sql_without_rows", "category": "schema", "confidence": "high", "count": 1}],
}})

test_sql_without_rows_is_no_dump if {
	every git in ["tracked", "untracked", "ignored", "no-repo"] {
		count(baseline.findings) == 0 with input as sql_without_rows(git, "small")
	}
}

test_sql_over_the_content_limit_stays_a_dump if {
	some f in baseline.findings with input as sql_without_rows("tracked", "large")
	f.rule == "data-dump-tracked"
}

test_template_without_credential_is_not_a_credential_file if {
	inp := {"input_version": 2, "file": {
		"kind": "text", "extension": "yaml", "language": null, "size_class": "small",
		"git": "tracked", "zones": ["credential-files"], "rules": [], "content_scanned": true,
		"signals": [{"id": "config.template", "category": "config", "confidence": "high", "count": 1}],
	}}
	fs := baseline.findings with input as inp
	count(fs) == 0
}
