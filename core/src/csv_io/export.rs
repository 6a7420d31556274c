//! CSV export of every table the console shows, with a header: one row per
//! item (per variant for experiments, per outcome for series, per version
//! for models), the report's fields as columns, nested values as
//! `parent.field` columns and lists as their JSON text. The columns the
//! console's table shows come first under its labels (`labels.rs`), the
//! others after them under their snake_case names; the importer reads
//! both, so an exported table imports back.

use super::labels::{self, labels};
use super::{normalise_snake, Error};
use crate::brain::Brain;
use crate::whatif;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The tables the console shows.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "CsvTable"))]
#[serde(rename_all = "snake_case")]
pub enum Table {
    /// Experiments with their statistics, one row per variant.
    Experiments,
    /// Scripts and their promotion status.
    Scripts,
    /// Built packets, one row per lead (its fields as columns).
    Packets,
    /// Ingestion sources.
    Sources,
    /// Outcome series, one row per outcome.
    Series,
    /// Outcome alerts.
    Alerts,
    /// Model versions, one row per version.
    Models,
    /// Clone readiness.
    Clones,
    /// Gate decisions.
    Gates,
    /// Audit entries.
    Audit,
}

impl Table {
    /// Every table.
    pub const ALL: [Table; 10] = [
        Table::Experiments,
        Table::Scripts,
        Table::Packets,
        Table::Sources,
        Table::Series,
        Table::Alerts,
        Table::Models,
        Table::Clones,
        Table::Gates,
        Table::Audit,
    ];

    /// The table named `name` (snake_case).
    pub fn parse(name: &str) -> Result<Table, Error> {
        serde_json::from_value(Value::String(name.trim().to_string()))
            .map_err(|_| Error::UnknownTable(name.to_string()))
    }
}

/// The table as CSV text with a header (a header only when it is empty is
/// not possible without rows: an empty table is the empty string).
pub fn export(brain: &Brain, table: Table) -> String {
    let rows: Vec<Map<String, Value>> = match table {
        Table::Experiments => brain
            .experiments()
            .iter()
            .flat_map(|e| {
                let mut head = object(e);
                let variants = head.remove("variants");
                head.remove("conclusion");
                let head = flat(head);
                let variants = match variants {
                    Some(Value::Array(v)) => v,
                    _ => Vec::new(),
                };
                variants.into_iter().map(move |v| {
                    let mut row = Map::new();
                    row.insert(
                        "experiment".into(),
                        head.get("experiment").cloned().unwrap_or(Value::Null),
                    );
                    if let Value::Object(mut v) = v {
                        if let Some(name) = v.remove("name") {
                            row.insert("variant".into(), name);
                        }
                        row.extend(flat(v));
                    }
                    for (k, x) in &head {
                        if k != "experiment" {
                            row.insert(format!("experiment_{k}"), x.clone());
                        }
                    }
                    row
                })
            })
            .collect(),
        Table::Scripts => each(brain.scripts()),
        Table::Packets => brain
            .packets()
            .iter()
            .map(|p| {
                let mut row = Map::new();
                row.insert("id".into(), p.id.to_string().into());
                row.insert("name".into(), p.lead.name.clone().into());
                row.insert("value".into(), p.lead.value.into());
                row.insert("terms".into(), p.lead.terms.clone().into());
                row.insert("source".into(), p.lead.source.clone().into());
                row.insert("scripts".into(), p.scripts.join(" ").into());
                row.insert("channels".into(), p.channels.join(" ").into());
                row.insert("built_at".into(), p.built_at.to_rfc3339().into());
                for (k, v) in &p.lead.fields {
                    row.entry(k.clone()).or_insert_with(|| v.clone().into());
                }
                row
            })
            .collect(),
        Table::Sources => each(brain.sources()),
        Table::Series => brain
            .state()
            .outcomes
            .series
            .iter()
            .flat_map(|(id, s)| {
                s.outcomes.iter().map(move |o| {
                    let mut row = Map::new();
                    row.insert("series_id".into(), id.clone().into());
                    row.insert("metric".into(), s.metric.clone().into());
                    row.insert("subject".into(), s.subject.clone().into());
                    row.insert("direction".into(), to_value(&s.direction));
                    row.insert("baseline".into(), s.baseline.into());
                    row.insert("outcome_id".into(), o.outcome_id.clone().into());
                    row.insert("value".into(), o.value.into());
                    row.insert("label".into(), o.label.clone().into());
                    row.insert("date".into(), o.at.to_rfc3339().into());
                    row
                })
            })
            .collect(),
        Table::Alerts => each(brain.state().outcomes.alerts.iter()),
        Table::Models => brain
            .models()
            .iter()
            .flat_map(|m| {
                m.versions.iter().map(move |v| {
                    let mut row = Map::new();
                    row.insert("model_id".into(), m.model_id.clone().into());
                    row.insert("name".into(), m.name.clone().into());
                    row.extend(flat(object(v)));
                    row
                })
            })
            .collect(),
        Table::Clones => each(brain.clones()),
        Table::Gates => each(brain.gate_decisions()),
        Table::Audit => each(brain.audit_query(&crate::audit::Query::default())),
    };
    write(&rows, labels(table))
}

/// A what-if report's differences as CSV (its policy is the caller's, so
/// it is not one of the brain's tables).
pub fn export_what_if(report: &whatif::Report) -> String {
    write(&each(&report.differences), labels::WHAT_IF)
}

fn to_value<T: Serialize>(x: &T) -> Value {
    serde_json::to_value(x).unwrap_or(Value::Null)
}

fn object<T: Serialize>(x: &T) -> Map<String, Value> {
    match to_value(x) {
        Value::Object(m) => m,
        other => {
            let mut m = Map::new();
            m.insert("value".into(), other);
            m
        }
    }
}

fn each<T: Serialize>(items: impl IntoIterator<Item = T>) -> Vec<Map<String, Value>> {
    items.into_iter().map(|x| flat(object(&x))).collect()
}

/// snake_case keys; a nested object's fields as `key.field`.
fn flat(m: Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, v) in m {
        let k = normalise_snake(&k);
        match v {
            Value::Object(inner) => {
                for (ik, iv) in inner {
                    out.insert(format!("{k}.{}", normalise_snake(&ik)), iv);
                }
            }
            v => {
                out.insert(k, v);
            }
        }
    }
    out
}

/// The text of a cell: strings as they are, numbers as JSON writes them
/// (they read back to the same f64), null empty, lists as JSON text.
fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Writes rows under the union of their columns: the `labelled` ones the
/// rows have first, in that order and under their labels, then the others
/// in first-seen order under their names.
fn write(rows: &[Map<String, Value>], labelled: &[(&str, &str)]) -> String {
    let mut columns: Vec<&str> = labelled
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| rows.iter().any(|row| row.contains_key(*name)))
        .collect();
    for row in rows {
        for k in row.keys() {
            if !columns.contains(&k.as_str()) {
                columns.push(k);
            }
        }
    }
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    if columns.is_empty() {
        return String::new();
    }
    let header = columns.iter().map(|c| {
        labelled
            .iter()
            .find(|(name, _)| name == c)
            .map_or(*c, |(_, label)| *label)
    });
    // Writing to a Vec cannot fail.
    let _ = w.write_record(header);
    for row in rows {
        let _ = w.write_record(
            columns
                .iter()
                .map(|c| row.get(*c).map(cell).unwrap_or_default()),
        );
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
