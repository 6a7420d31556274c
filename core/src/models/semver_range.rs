//! Version numbers as a registry uses them: the next version by a bump from a parent
//! (`patch`, `minor`, `major`), and the versions a semver range matches (`^1.2`,
//! `>=1.0, <2`), through the `semver` crate's `VersionReq` (Cargo's rules).
//!
//! The command log keeps the explicit version a bump gave, so replaying it never depends on
//! which versions existed when a client asked for the next one.

use super::{Error, Model, SemVer, Version};
use serde::{Deserialize, Serialize};

/// Which part of the parent's version a new version increments.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "VersionBump"))]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    /// `1.2.3 -> 1.2.4`: same behaviour, e.g. retrained on fresher data.
    Patch,
    /// `1.2.3 -> 1.3.0`: compatible improvement.
    Minor,
    /// `1.2.3 -> 2.0.0`: changed inputs or outputs.
    Major,
}

impl Bump {
    /// The version after `from`, dropping any pre-release and build metadata.
    pub fn apply(self, from: &SemVer) -> SemVer {
        match self {
            Bump::Patch => SemVer::new(from.major, from.minor, from.patch.saturating_add(1)),
            Bump::Minor => SemVer::new(from.major, from.minor.saturating_add(1), 0),
            Bump::Major => SemVer::new(from.major.saturating_add(1), 0, 0),
        }
    }
}

impl Model {
    /// The next free version by `bump` from `parent` (default: the champion, else the
    /// newest version; a model with no version starts from 0.0.0, so `minor` gives 0.1.0).
    /// If the bumped version exists (another branch took it), the same part is bumped again
    /// until it is free.
    pub fn next_version(&self, bump: Bump, parent: Option<&SemVer>) -> SemVer {
        let zero = SemVer::new(0, 0, 0);
        let from = parent
            .or(self.champion.as_ref())
            .or_else(|| self.versions.iter().map(|v| &v.version).max())
            .unwrap_or(&zero);
        let mut next = bump.apply(from);
        while self.version(&next).is_some() {
            next = bump.apply(&next);
        }
        next
    }

    /// The versions `range` matches, lowest first (Cargo's rules: `^1.2` is `>=1.2.0,
    /// <2.0.0`; comparators are separated by commas or spaces).
    pub fn versions_matching(&self, range: &str) -> Result<Vec<&Version>, Error> {
        let req = parse_range(range)?;
        let mut found: Vec<&Version> = self
            .versions
            .iter()
            .filter(|v| req.matches(&v.version))
            .collect();
        found.sort_by(|a, b| a.version.cmp(&b.version));
        Ok(found)
    }
}

/// Parses a range; `semver` wants commas between comparators, people write spaces
/// (`>=1.0 <2`), so a space between two comparators is read as a comma.
pub fn parse_range(range: &str) -> Result<semver::VersionReq, Error> {
    let invalid = |reason: String| Error::InvalidRange {
        range: range.to_string(),
        reason,
    };
    let trimmed = range.trim();
    if trimmed.is_empty() {
        return Err(invalid("empty".into()));
    }
    let mut joined = String::with_capacity(trimmed.len());
    let mut words = trimmed.split_whitespace().peekable();
    while let Some(word) = words.next() {
        joined.push_str(word);
        let ends_operator = word.ends_with(|c: char| "<>=~^,".contains(c));
        let next_starts_comparator = words
            .peek()
            .is_some_and(|n| n.starts_with(|c: char| "<>=~^".contains(c)));
        if words.peek().is_some() && !ends_operator && !word.ends_with(',') {
            joined.push_str(if next_starts_comparator { "," } else { " " });
        }
    }
    semver::VersionReq::parse(&joined).map_err(|e| invalid(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{given, propose, register, v};
    use super::*;
    use crate::models::*;

    fn lineage() -> State {
        given(&[
            register("m1"),
            propose("0.9.0", Strategy::Shadow, 0.7),
            propose("1.0.0", Strategy::FullRetrain, 0.8),
            propose("1.2.0", Strategy::Shadow, 0.8),
            propose("1.2.5", Strategy::Shadow, 0.8),
            propose("1.10.0", Strategy::Shadow, 0.8),
            propose("2.0.0", Strategy::Shadow, 0.8),
        ])
    }

    fn matching(state: &State, range: &str) -> Result<Vec<String>, String> {
        state
            .versions_matching("m1", range)
            .map(|vs| vs.iter().map(|x| x.version.to_string()).collect())
            .map_err(|e| e.code().to_string())
    }

    #[test]
    fn a_range_returns_the_versions_it_matches_lowest_first() {
        let state = lineage();
        let cases: [(&str, Result<Vec<&str>, &str>); 7] = [
            ("^1.2", Ok(vec!["1.2.0", "1.2.5", "1.10.0"])),
            (">=1.0 <2", Ok(vec!["1.0.0", "1.2.0", "1.2.5", "1.10.0"])),
            (">=1.0, <2", Ok(vec!["1.0.0", "1.2.0", "1.2.5", "1.10.0"])),
            ("~1.2", Ok(vec!["1.2.0", "1.2.5"])),
            (
                "*",
                Ok(vec!["0.9.0", "1.0.0", "1.2.0", "1.2.5", "1.10.0", "2.0.0"]),
            ),
            (">= 3", Ok(vec![])),
            ("not a range", Err("invalid_range")),
        ];
        for (range, want) in cases {
            let want = want
                .map(|vs| vs.into_iter().map(String::from).collect::<Vec<_>>())
                .map_err(String::from);
            assert_eq!(matching(&state, range), want, "{range}");
        }
        assert_eq!(matching(&state, " "), Err("invalid_range".to_string()));
        assert_eq!(
            state.versions_matching("nope", "*").map_err(|e| e.code()),
            Err("unknown_model")
        );
    }

    #[test]
    fn the_next_version_bumps_the_parent_and_skips_versions_taken() {
        let state = lineage();
        let next = |bump, parent: Option<&str>| {
            state
                .next_version("m1", bump, parent.map(v).as_ref())
                .map(|x| x.to_string())
                .map_err(|e| e.code())
        };
        // From the champion 1.0.0.
        assert_eq!(next(Bump::Patch, None), Ok("1.0.1".into()));
        assert_eq!(next(Bump::Minor, None), Ok("1.1.0".into()));
        // 2.0.0 is taken: the next major is 3.0.0.
        assert_eq!(next(Bump::Major, None), Ok("3.0.0".into()));
        assert_eq!(next(Bump::Patch, Some("1.2.5")), Ok("1.2.6".into()));
        assert_eq!(next(Bump::Minor, Some("1.2.5")), Ok("1.3.0".into()));
        assert_eq!(next(Bump::Patch, Some("7.0.0")), Err("unknown_version"));
        // A model with no version starts from 0.0.0.
        let empty = given(&[register("m1")]);
        assert_eq!(
            empty
                .next_version("m1", Bump::Minor, None)
                .map(|x| x.to_string()),
            Ok("0.1.0".to_string())
        );
    }
}
