//! Version numbers as a registry uses them: the next version by a bump from a parent
//! (`patch`, `minor`, `major`), and the versions a semver range matches (`^1.2`,
//! `>=1.0, <2`), through the `semver` crate's `VersionReq` (Cargo's rules).
//!
//! The command log keeps the explicit version a bump gave, so replaying it never depends on
//! which versions existed when a client asked for the next one.

use super::*;

/// Which part of the parent's version a new version increments.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
