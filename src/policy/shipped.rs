//! The shipped packs, embedded at build time from `policies/*.rego` (build.rs), so the
//! binary never depends on files installed next to it.

include!(concat!(env!("OUT_DIR"), "/shipped_policies.rs"));

/// One embedded pack.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ShippedPack {
    /// File stem, the name used in `policies.disable`.
    pub name: &'static str,
    /// Path inside the crate, e.g. `policies/baseline.rego`.
    pub path: &'static str,
    pub source: &'static str,
    /// `sha256:<hex>` of `source`, computed by build.rs.
    pub digest: &'static str,
}

impl ShippedPack {
    /// The display path used in findings and diagnostics: `shipped:policies/<name>.rego`.
    pub fn display(&self) -> String {
        format!("shipped:{}", self.path)
    }
}

pub(crate) fn shipped_packs() -> impl Iterator<Item = ShippedPack> {
    SHIPPED_POLICIES
        .iter()
        .map(|&(name, path, source, digest)| ShippedPack {
            name,
            path,
            source,
            digest,
        })
}

/// Names of the shipped packs (file stems of `policies/*.rego`), sorted.
pub fn shipped_pack_names() -> Vec<&'static str> {
    SHIPPED_POLICIES.iter().map(|&(name, ..)| name).collect()
}

/// This build's shipped packs as the manifest's provenance names them: (`source`,
/// `digest`) with `source` = `shipped:policies/<name>.rego` and `digest` the `sha256:` of
/// the embedded bytes, computed as loading does, sorted by source. A reader compares a
/// manifest's shipped entries with these to tell whether another build wrote it.
pub fn shipped_pack_digests() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = shipped_packs()
        .map(|p| (p.display(), p.digest.to_string()))
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// build.rs computes the digests with its own SHA-256; they must be what loading a
    /// pack computes.
    #[test]
    fn build_time_digests_are_the_sources_sha256() {
        assert!(shipped_packs().count() > 0);
        for p in shipped_packs() {
            assert_eq!(
                p.digest,
                super::super::load::sha256(p.source.as_bytes()),
                "{}",
                p.name
            );
        }
        assert_eq!(
            super::super::load::sha256(b""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
