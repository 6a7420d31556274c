//! TypeScript declarations of every type that crosses the JS boundary
//! (feature `ts`), generated from the Rust types with ts-rs so they cannot
//! drift from the JSON the engine reads and writes.
//!
//! This module only builds the text (the core does no IO). The committed
//! file is `js/types.d.ts`; the custom section of the JS package includes it
//! (see `js/types.rs`). `core/tests/typescript.rs` fails when the committed
//! file is stale; regenerate it with
//! `BRAIN_UPDATE_TYPES=1 cargo test -p brain-core --features ts --test typescript`.

use std::any::TypeId;
use std::collections::{BTreeMap, BTreeSet};

use ts_rs::{TypeVisitor, TS};

use crate::{
    ab, audit, brain, gates, ingest, models, outcomes, packets, readiness, verify, whatif,
};

/// Where the declarations are committed, relative to the workspace root.
pub const PATH: &str = "js/types.d.ts";

/// Names the JS package declares itself (its classes, and the hand-written
/// declarations of `js/types.rs`), which the generated ones must not take.
const RESERVED: &[&str] = &[
    "Brain",
    "Experiment",
    "JsonValue",
    "BrainError",
    "Range",
    "Namespace",
    "ExperimentInput",
    "Assignment",
    "Counts",
    "ZTest",
    "LiftTest",
    "MeanStats",
    "Sums",
    "RatioStats",
    "CupedStats",
    "GaussianPrior",
    "BayesLift",
    "RateInterval",
    "KsTest",
    "Block",
    "PolicyInput",
    "DeepPartial",
    "AlertFilter",
    "NotificationQuery",
    "Report",
    "InitInput",
    "InitOutput",
    "SyncInitInput",
];

/// Collects the declaration of a type and, recursively, of every type it
/// names.
#[derive(Default)]
struct Collect {
    seen: BTreeSet<TypeId>,
    /// Declarations by TypeScript name.
    decls: BTreeMap<String, (TypeId, String)>,
}

impl Collect {
    fn add<T: TS + 'static + ?Sized>(&mut self) {
        // Only declared types (derived ones) have an output path; primitives,
        // containers and `ts(type = ..)` overrides are inlined by ts-rs.
        if T::output_path().is_none() || !self.seen.insert(TypeId::of::<T>()) {
            return;
        }
        let mut text = String::new();
        if let Some(docs) = T::docs() {
            text.push_str(&docs);
        }
        text.push_str("export ");
        text.push_str(&T::decl());
        let name = T::ident();
        assert!(
            !RESERVED.contains(&name.as_str()),
            "`{name}` is already a name of the JS package: rename the Rust type with #[ts(rename = ..)]"
        );
        if let Some((other, _)) = self.decls.get(&name) {
            assert_eq!(
                *other,
                TypeId::of::<T>(),
                "two Rust types are both named `{name}` in TypeScript: rename one with #[ts(rename = ..)]"
            );
        }
        self.decls.insert(name, (TypeId::of::<T>(), text));
        T::visit_dependencies(self);
    }
}

impl TypeVisitor for Collect {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        self.add::<T>();
    }
}

/// The declarations file: every command, event, report, state, policy and
/// the snapshot, with the types they use, sorted by name.
pub fn declarations() -> String {
    let mut c = Collect::default();
    // Inputs.
    c.add::<brain::Envelope>();
    c.add::<audit::Query>();
    // Outputs.
    c.add::<brain::Event>();
    c.add::<brain::Snapshot>();
    c.add::<crate::Policy>();
    c.add::<ab::ExperimentReport>();
    c.add::<ab::LiftSeries>();
    c.add::<ingest::BlockedAttempt>();
    c.add::<brain::IngestedPayload>();
    c.add::<brain::ScriptReport>();
    c.add::<packets::Packet>();
    c.add::<ingest::SourceReport>();
    c.add::<outcomes::TrendReport>();
    c.add::<outcomes::Outcome>();
    c.add::<outcomes::Alert>();
    c.add::<models::ModelReport>();
    c.add::<models::Comparison>();
    c.add::<models::ModelHistory>();
    c.add::<models::Assessment>();
    c.add::<models::Bump>();
    c.add::<readiness::CloneSummary>();
    c.add::<crate::rollouts::RolloutReport>();
    c.add::<crate::rollouts::RoutePlan>();
    c.add::<gates::Decision>();
    c.add::<audit::Entry>();
    c.add::<audit::TreeHead>();
    c.add::<audit::InclusionProof>();
    c.add::<audit::ConsistencyProof>();
    c.add::<crate::audit_filtered::FilteredExport>();
    c.add::<verify::Report>();
    c.add::<crate::csv_io::Plan>();
    c.add::<crate::csv_io::Options>();
    c.add::<crate::csv_io::Table>();
    c.add::<whatif::Report>();
    c.add::<crate::tuning::Spec>();
    c.add::<crate::tuning::Ranking>();
    c.add::<crate::tuning::Progress>();
    c.add::<crate::policy_history::PolicyChange>();
    c.add::<crate::prereg::Registration>();
    c.add::<crate::monitoring::ScheduleRow>();
    c.add::<crate::monitoring::inbox::Notification>();
    c.add::<crate::monitoring::inbox::LiveAlert>();
    c.add::<crate::monitoring::reports::Report>();

    let mut out = String::from(
        "// Generated from the Rust types of brain-core by ts-rs (core/src/typescript.rs): do not edit.\n\
         // Regenerate: BRAIN_UPDATE_TYPES=1 cargo test -p brain-core --features ts --test typescript\n\
         // Integers are `number`: the engine writes them as JSON numbers (ts-rs would say `bigint`).\n",
    );
    for (_, text) in c.decls.values() {
        out.push('\n');
        out.push_str(&indent(&numbers(text)));
    }
    out
}

/// Lays a declaration out one field per line, indented by four spaces per
/// open object: every object that ts-rs writes over several lines opens with
/// `{` at the end of a line and closes with `}` at the start of one. This is
/// also the rule wasm-bindgen re-indents its custom sections by, so the
/// package's `.d.ts` reads the same.
fn indent(decl: &str) -> String {
    let chars: Vec<char> = decl.chars().collect();
    // Matching braces outside comments and string literals; an object is
    // laid out over several lines when ts-rs wrote a line break inside it.
    let mut multi = vec![false; chars.len()];
    let mut open: Vec<usize> = Vec::new();
    let (mut in_comment, mut in_string) = (false, false);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if in_comment {
            if c == '*' && chars.get(i + 1) == Some(&'/') {
                in_comment = false;
                i += 1;
            }
        } else if in_string {
            if c == '\\' {
                i += 1;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            in_comment = true;
        } else if c == '"' {
            in_string = true;
        } else if c == '{' {
            open.push(i);
        } else if c == '}' {
            if let Some(start) = open.pop() {
                if chars[start..i].contains(&'\n') {
                    multi[start] = true;
                    multi[i] = true;
                }
            }
        }
        i += 1;
    }
    // Break after a multi-line `{` and before its `}`, then indent.
    let mut lines: Vec<String> = vec![String::new()];
    for (c, &m) in chars.iter().zip(&multi) {
        if *c == '\n' || (m && *c == '}') {
            lines.push(String::new());
        }
        if let (Some(line), false) = (lines.last_mut(), *c == '\n') {
            line.push(*c);
        }
        if m && *c == '{' {
            lines.push(String::new());
        }
    }
    let mut out = String::new();
    let mut depth = 0usize;
    for line in lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        if line.starts_with('}') {
            depth = depth.saturating_sub(1);
        }
        out.push_str(&"    ".repeat(depth));
        if line.starts_with('*') {
            out.push(' ');
        }
        out.push_str(line);
        out.push('\n');
        if line.ends_with('{') {
            depth += 1;
        }
    }
    out
}

/// `bigint` -> `number`: ts-rs declares u64/i64 as `bigint`, but the JSON
/// crossing the boundary carries them as numbers (read with `JSON.parse` or
/// built as JS numbers).
fn numbers(text: &str) -> String {
    text.replace(": bigint", ": number")
        .replace("<bigint>", "<number>")
        .replace("bigint |", "number |")
        .replace("| bigint", "| number")
        .replace("[bigint", "[number")
        .replace("bigint]", "number]")
        .replace(", bigint", ", number")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> impl Iterator<Item = &str> {
        text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
    }

    #[test]
    fn declarations_have_no_any_nor_bigint() {
        let text = declarations();
        // Doc comments may say "any"; the check is on the code lines.
        for line in text.lines().filter(|l| {
            let l = l.trim_start();
            !(l.starts_with("//") || l.starts_with("/*") || l.starts_with('*'))
        }) {
            assert!(!words(line).any(|w| w == "any"), "`any` in: {line}");
            assert!(!words(line).any(|w| w == "bigint"), "`bigint` in: {line}");
            assert!(!words(line).any(|w| w == "unknown"), "`unknown` in: {line}");
        }
    }
}
