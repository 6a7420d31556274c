//! CSV import and export: data in and out as users have it (warehouse and
//! CRM exports). An import is *planned* first: every row becomes a command,
//! and each command is run against a copy of the brain so that a row the
//! engine would refuse is named with its line, column and the engine's own
//! message, while the real brain is untouched. Applying the plan is one
//! batch (`Brain::execute_all`): all rows or none. Export writes every table
//! the console shows with a header (`export`).
//!
//! The `Planner` works a slice of rows at a time, so the console can show
//! progress and cancel a 100,000-row file; `plan` runs it to the end.

mod export;
mod kinds;
mod labels;
mod read;

pub use export::{export, export_what_if, Table};
pub use kinds::Kind;

use crate::brain::{Brain, Envelope};
use chrono::{DateTime, NaiveDate, Utc};
use kinds::{normalise, CellError, Row};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// How many rows of the file a plan shows as its preview.
pub const PREVIEW_ROWS: usize = 5;

/// Bad input to an import or export (the file's own problems are row errors).
#[derive(thiserror::Error, Debug, Clone, PartialEq)]
pub enum Error {
    /// A kind of import that does not exist.
    #[error("unknown import kind {0:?}: one of counts, outcomes, drift, leads, sources, model_metrics, rollout_metrics")]
    UnknownKind(String),
    /// A table that does not exist.
    #[error("unknown table {0:?}: one of experiments, scripts, packets, sources, series, alerts, models, clones, gates, audit, what_if")]
    UnknownTable(String),
    /// A delimiter other than `,` `;` and tab.
    #[error("delimiter {0:?} is not one of \",\", \";\" and a tab")]
    Delimiter(String),
    /// A column mapping naming a field the kind does not read.
    #[error("column mapping names {0:?}, which this kind of file does not read")]
    UnknownField(String),
}

impl Error {
    /// A stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Error::UnknownKind(_) => "unknown_kind",
            Error::UnknownTable(_) => "unknown_table",
            Error::Delimiter(_) => "invalid_delimiter",
            Error::UnknownField(_) => "unknown_field",
        }
    }
}

/// How to read a file; everything is detected when left out.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "CsvImportOptions"))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Options {
    /// `,`, `;` or `\t` (detected from the first line when left out).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub delimiter: Option<String>,
    /// Whether the first line is a header (detected when left out: it is
    /// when one of its cells names a column of the kind).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub header: Option<bool>,
    /// Field name to header name, where the header's own names differ.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(as = "Option<_>", optional))]
    pub columns: BTreeMap<String, String>,
    /// The time of rows without a date (default: the brain's last command,
    /// or 1970-01-01 for an empty brain: the engine reads no clock).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "Date | string", optional))]
    pub at: Option<DateTime<Utc>>,
    /// Who issues the commands.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub actor: Option<String>,
}

/// A column of the file and what the import does with it.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "CsvColumn"))]
#[serde(rename_all = "camelCase")]
pub struct Column {
    /// Its header (or `column N` without a header).
    pub header: String,
    /// The field it fills; `None`: ignored.
    pub field: Option<String>,
}

/// A row that does not become a command, and why.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "CsvRowError"))]
#[serde(rename_all = "camelCase")]
pub struct RowError {
    /// The 1-based line of the file the row starts on.
    pub line: usize,
    /// The column at fault, when one is.
    pub column: Option<String>,
    /// The rule it breaks: a code of the engine (`invalid_count`) or of the
    /// file (`missing_column`, `missing_value`, `not_a_number`, `invalid_time`).
    pub code: String,
    /// What is wrong and what is allowed (the engine's own message).
    pub message: String,
}

/// What applying a plan would do.
#[derive(Serialize, Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "CsvSummary"))]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Data rows read (header excluded).
    pub rows: usize,
    /// Commands per `block.Type`.
    pub commands: BTreeMap<String, usize>,
    /// The experiments, series, models, rollouts or sources the rows name.
    pub subjects: Vec<String>,
    /// Those of them the import creates (new series, new sources).
    pub new_subjects: Vec<String>,
}

/// An import planned against a brain, which is left unchanged.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "CsvPlan"))]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// The kind of file.
    pub kind: Kind,
    /// The delimiter read (`,`, `;` or a tab).
    pub delimiter: String,
    /// Whether the first line was taken as a header.
    pub header: bool,
    /// Each column of the file and the field it fills.
    pub columns: Vec<Column>,
    /// The first rows as read.
    pub preview: Vec<Vec<String>>,
    /// The commands the accepted rows become, in file order: apply them with
    /// `Brain::execute_all` (all or nothing).
    pub commands: Vec<Envelope>,
    /// The line each command comes from.
    pub lines: Vec<usize>,
    /// Every row that does not become a command.
    pub row_errors: Vec<RowError>,
    /// What applying would do.
    pub summary: Summary,
}

/// Plans `text` as a `kind` file against `brain` (which is not changed).
pub fn plan(brain: &Brain, kind: Kind, text: &str, options: &Options) -> Result<Plan, Error> {
    let mut planner = Planner::new(brain, kind, text, options)?;
    while !planner.step(usize::MAX) {}
    Ok(planner.finish())
}

/// How a column is used.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Use {
    Field(&'static str),
    Other,
    Ignored,
}

/// An import planned a slice of rows at a time (progress and cancel).
#[derive(Clone, Debug)]
pub struct Planner {
    kind: Kind,
    table: read::Table,
    headers: std::sync::Arc<[String]>,
    uses: std::sync::Arc<[Use]>,
    first: usize,
    next: usize,
    at: DateTime<Utc>,
    actor: Option<String>,
    /// The copy the commands are run against.
    trial: Brain,
    plan: Plan,
    subjects: BTreeSet<String>,
    new_subjects: BTreeSet<String>,
    drift: BTreeMap<String, (usize, Vec<f64>, Vec<f64>)>,
    /// The file cannot be planned (a required column is missing).
    stopped: bool,
}

impl Planner {
    /// Reads the file and maps its columns; rows are planned by `step`.
    pub fn new(brain: &Brain, kind: Kind, text: &str, options: &Options) -> Result<Self, Error> {
        let delimiter = match options.delimiter.as_deref() {
            None | Some("") => None,
            Some(",") => Some(b','),
            Some(";") => Some(b';'),
            Some("\t") | Some("tab") => Some(b'\t'),
            Some(other) => return Err(Error::Delimiter(other.to_string())),
        };
        for field in options.columns.keys() {
            if !kind.fields().iter().any(|f| f.name == field) {
                return Err(Error::UnknownField(field.clone()));
            }
        }
        let table = read::read(text, delimiter);
        let first_cells: Vec<String> = table
            .records
            .first()
            .and_then(|r| r.cells.clone().ok())
            .unwrap_or_default();
        let header = options.header.unwrap_or_else(|| {
            first_cells
                .iter()
                .any(|c| field_of(kind, options, c).is_some())
        });
        let width = table
            .records
            .iter()
            .filter_map(|r| r.cells.as_ref().ok().map(Vec::len))
            .max()
            .unwrap_or(0);
        let (headers, uses): (Vec<String>, Vec<Use>) = if header {
            first_cells
                .iter()
                .map(|h| {
                    let u = match field_of(kind, options, h) {
                        Some(f) => Use::Field(f),
                        None if kind.ignored().iter().any(|i| normalise(i) == normalise(h))
                            || h.trim().is_empty() =>
                        {
                            Use::Ignored
                        }
                        None if kind.takes_other_columns() => Use::Other,
                        None => Use::Ignored,
                    };
                    (h.trim().to_string(), u)
                })
                .unzip()
        } else {
            (0..width)
                .map(|i| match kind.fields().get(i) {
                    Some(f) => (f.name.to_string(), Use::Field(f.name)),
                    None => (format!("column {}", i + 1), Use::Ignored),
                })
                .unzip()
        };
        let at = options
            .at
            .or_else(|| brain.log().last().map(|e| e.at))
            .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
        let mut plan = Plan {
            kind,
            delimiter: (table.delimiter as char).to_string(),
            header,
            columns: headers
                .iter()
                .zip(&uses)
                .map(|(h, u)| Column {
                    header: h.clone(),
                    field: match u {
                        Use::Field(f) => Some(f.to_string()),
                        Use::Other => Some(match kind {
                            Kind::Leads => format!("fields.{h}"),
                            _ => format!("metrics.{h}"),
                        }),
                        Use::Ignored => None,
                    },
                })
                .collect(),
            preview: Vec::new(),
            commands: Vec::new(),
            lines: Vec::new(),
            row_errors: Vec::new(),
            summary: Summary::default(),
        };
        let first = usize::from(header);
        plan.preview = table
            .records
            .iter()
            .skip(first)
            .take(PREVIEW_ROWS)
            .map(|r| r.cells.clone().unwrap_or_default())
            .collect();
        let mut stopped = false;
        for f in kind.fields().iter().filter(|f| f.required) {
            if !uses.contains(&Use::Field(f.name)) && table.records.len() > first {
                stopped = true;
                plan.row_errors.push(RowError {
                    line: table.records.first().map_or(1, |r| r.line),
                    column: Some(f.name.to_string()),
                    code: "missing_column".into(),
                    message: format!(
                        "the file has no {} column: a {} file needs {}",
                        f.name,
                        kind.name(),
                        required_names(kind)
                    ),
                });
            }
        }
        plan.summary.rows = table.records.len().saturating_sub(first);
        Ok(Self {
            kind,
            headers: headers.into(),
            uses: uses.into(),
            first,
            next: first,
            at,
            actor: options.actor.clone(),
            trial: brain.clone(),
            plan,
            subjects: BTreeSet::new(),
            new_subjects: BTreeSet::new(),
            drift: BTreeMap::new(),
            stopped,
            table,
        })
    }

    /// Plans up to `rows` more rows; true when every row is planned.
    pub fn step(&mut self, rows: usize) -> bool {
        if self.stopped {
            self.next = self.table.records.len();
        }
        let end = self.next.saturating_add(rows).min(self.table.records.len());
        while self.next < end {
            let i = self.next;
            self.next += 1;
            self.plan_row(i);
        }
        let done = self.next >= self.table.records.len();
        if done && !self.drift.is_empty() {
            for (series, (line, reference, current)) in std::mem::take(&mut self.drift) {
                let c = serde_json::json!({
                    "block": "outcomes", "type": "AssessDrift",
                    "series_id": series, "reference": reference, "current": current,
                });
                self.run(line, c, self.at);
            }
        }
        done
    }

    /// Rows planned so far and rows in the file (header excluded).
    pub fn progress(&self) -> (usize, usize) {
        (
            self.next.saturating_sub(self.first),
            self.table.records.len().saturating_sub(self.first),
        )
    }

    /// The plan (of the rows planned so far).
    pub fn finish(mut self) -> Plan {
        self.plan.summary.subjects = self.subjects.into_iter().collect();
        self.plan.summary.new_subjects = self.new_subjects.into_iter().collect();
        self.plan
    }

    fn plan_row(&mut self, i: usize) {
        let Some(record) = self.table.records.get_mut(i) else {
            return;
        };
        let line = record.line;
        // Each row is planned once; its cells are not needed after.
        let cells = std::mem::replace(&mut record.cells, Ok(Vec::new()));
        let (headers, uses) = (self.headers.clone(), self.uses.clone());
        let cells = match &cells {
            Ok(cells) => cells,
            Err(message) => {
                self.plan.row_errors.push(RowError {
                    line,
                    column: None,
                    code: "unreadable_row".into(),
                    message: message.clone(),
                });
                return;
            }
        };
        let mut row = Row {
            fields: Vec::new(),
            others: Vec::new(),
        };
        for (j, u) in uses.iter().enumerate() {
            let cell = cells.get(j).map(String::as_str).unwrap_or("");
            match u {
                Use::Field(f) => row.fields.push((f, cell)),
                Use::Other => row.others.push((headers[j].as_str(), cell)),
                Use::Ignored => {}
            }
        }
        if cells.len() < uses.len() {
            // A short row: the first missing required field is named.
            if let Some(f) = self.kind.fields().iter().find(|f| {
                f.required
                    && uses
                        .iter()
                        .position(|u| *u == Use::Field(f.name))
                        .is_some_and(|p| p >= cells.len())
            }) {
                let e = CellError {
                    column: f.name.to_string(),
                    code: "missing_value",
                    message: format!(
                        "the row has {} of {} columns: {} is missing",
                        cells.len(),
                        uses.len(),
                        f.name
                    ),
                };
                self.cell_error(line, e);
                return;
            }
        }
        let at = match row.get("date") {
            None => self.at,
            Some(text) => match parse_time(text) {
                Some(t) => t,
                None => {
                    let e = CellError {
                        column: "date".into(),
                        code: "invalid_time",
                        message: format!(
                            "date ({text:?}) is neither a day (2026-03-02) nor an RFC 3339 time"
                        ),
                    };
                    self.cell_error(line, e);
                    return;
                }
            },
        };
        if self.kind == Kind::Drift {
            match kinds::drift_sample(&row) {
                Ok((series, reference, value)) => {
                    self.subjects.insert(series.clone());
                    let entry = self
                        .drift
                        .entry(series)
                        .or_insert_with(|| (line, Vec::new(), Vec::new()));
                    if reference {
                        entry.1.push(value);
                    } else {
                        entry.2.push(value);
                    }
                }
                Err(e) => self.cell_error(line, e),
            }
            return;
        }
        if self.kind == Kind::Outcomes {
            if let Some(series) = row.get("series_id") {
                if !self.trial.state().outcomes.series.contains_key(series) {
                    match kinds::define_series(&row) {
                        Ok(Some(c)) => {
                            if self.run(line, c, at) {
                                self.new_subjects.insert(series.to_string());
                            }
                        }
                        Ok(None) => {}
                        Err(e) => return self.cell_error(line, e),
                    }
                }
            }
        }
        match kinds::command(self.kind, &row) {
            Ok(c) => {
                let subject = subject(self.kind, &c);
                if self.run(line, c, at) {
                    if let Some(s) = subject {
                        if self.kind == Kind::Sources {
                            self.new_subjects.insert(s.clone());
                        }
                        self.subjects.insert(s);
                    }
                }
            }
            Err(e) => self.cell_error(line, e),
        }
    }

    /// Runs a planned command against the copy; a refusal is a row error.
    fn run(&mut self, line: usize, mut command: Value, at: DateTime<Utc>) -> bool {
        let name = format!(
            "{}.{}",
            command["block"].as_str().unwrap_or(""),
            command["type"].as_str().unwrap_or("")
        );
        command["at"] = at.to_rfc3339().into();
        if let Some(actor) = &self.actor {
            command["actor"] = actor.clone().into();
        }
        let env = match Envelope::from_value(command) {
            Ok(env) => env,
            Err(e) => {
                self.plan.row_errors.push(RowError {
                    line,
                    column: None,
                    code: "invalid_json".into(),
                    message: e.to_string(),
                });
                return false;
            }
        };
        match self.trial.execute(env.clone()) {
            Ok(_) => {
                self.plan.commands.push(env);
                self.plan.lines.push(line);
                *self.plan.summary.commands.entry(name).or_insert(0) += 1;
                true
            }
            Err(e) => {
                let message = e.to_string();
                self.plan.row_errors.push(RowError {
                    line,
                    column: column_named(self.kind, &self.headers, e.code(), &message),
                    code: e.code().to_string(),
                    message,
                });
                false
            }
        }
    }

    fn cell_error(&mut self, line: usize, e: CellError) {
        self.plan.row_errors.push(RowError {
            line,
            column: Some(e.column),
            code: e.code.to_string(),
            message: e.message,
        });
    }
}

/// The field a header cell names, under the options' mapping first.
fn field_of(kind: Kind, options: &Options, header: &str) -> Option<&'static str> {
    let h = normalise(header);
    if h.is_empty() {
        return None;
    }
    if let Some((field, _)) = options.columns.iter().find(|(_, v)| normalise(v) == h) {
        return kind
            .fields()
            .iter()
            .find(|f| f.name == field)
            .map(|f| f.name);
    }
    kind.fields()
        .iter()
        .find(|f| normalise(f.name) == h || f.aliases.iter().any(|a| normalise(a) == h))
        .map(|f| f.name)
}

fn normalise_snake(header: &str) -> String {
    let mut out = String::new();
    for c in header.trim().chars() {
        if c.is_uppercase() {
            if !out.is_empty() {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn required_names(kind: Kind) -> String {
    let names: Vec<&str> = kind
        .fields()
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name)
        .collect();
    names.join(", ")
}

/// A day (midnight UTC) or an RFC 3339 time.
fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

/// What a planned command names, for the summary.
fn subject(kind: Kind, c: &Value) -> Option<String> {
    let s = |k: &str| c[k].as_str().map(|v| v.trim().to_string());
    match kind {
        Kind::Counts => s("experiment_id"),
        Kind::Outcomes | Kind::Drift => s("series_id"),
        Kind::Leads => None,
        Kind::Sources => s("source_id"),
        Kind::ModelMetrics => Some(format!("{}@{}", s("model_id")?, s("version")?)),
        Kind::RolloutMetrics => s("rollout_id"),
    }
}

/// The column an engine message names first (its field name, or the same
/// with spaces: "conversions (12) exceed trials (10)" names conversions).
fn column_named(kind: Kind, headers: &[String], code: &str, message: &str) -> Option<String> {
    // Rules whose message does not say the column's name.
    let by_code = match code {
        "duplicate_outcome" => Some("outcome_id"),
        "unknown_series" => Some("series_id"),
        "time_backwards" if headers.iter().any(|h| h == "date") => Some("date"),
        _ => None,
    };
    if let Some(c) = by_code {
        return Some(c.to_string());
    }
    let lower = message.to_lowercase();
    let mut best: Option<(usize, String)> = None;
    let names = kind
        .fields()
        .iter()
        .map(|f| f.name.to_string())
        .chain(headers.iter().cloned());
    for name in names {
        for form in [name.clone(), name.replace('_', " ")] {
            if let Some(p) = lower.find(&form.to_lowercase()) {
                if best.as_ref().is_none_or(|(b, _)| p < *b) {
                    best = Some((p, name.clone()));
                }
            }
        }
    }
    best.map(|(_, n)| n)
}

#[cfg(test)]
mod tests;
