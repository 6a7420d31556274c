//! Imports over a table of files (good, and each kind of bad row), and
//! export then import round trips.

use super::*;
use crate::brain::{Brain, Envelope};
use chrono::{TimeZone, Utc};
use proptest::prelude::*;

fn at(minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, minute, 0).unwrap()
}

fn run(b: &mut Brain, minute: u32, json: &str) {
    let mut v: Value = serde_json::from_str(json).unwrap();
    v["at"] = at(minute).to_rfc3339().into();
    b.execute(Envelope::from_value(v).unwrap()).unwrap();
}

/// An experiment `channel` (email, sms), a series `accuracy/scorer` with
/// outcome `w1`, a model with version 1.0.0.
fn setup() -> Brain {
    let mut b = Brain::new();
    for (m, v) in [(0, "email"), (1, "sms")] {
        run(
            &mut b,
            m,
            &format!(
                r#"{{"block":"ab","type":"RegisterVariant","experiment":"channel","variant":"{v}","kind":"channel"}}"#
            ),
        );
    }
    run(
        &mut b,
        2,
        r#"{"block":"outcomes","type":"DefineSeries","series_id":"accuracy/scorer","metric":"accuracy","baseline":0.8}"#,
    );
    run(
        &mut b,
        3,
        r#"{"block":"outcomes","type":"RecordOutcome","series_id":"accuracy/scorer","outcome_id":"w1","value":0.81}"#,
    );
    b
}

fn options() -> Options {
    Options {
        at: Some(at(30)),
        ..Options::default()
    }
}

/// Plans `text` and checks the row errors (line, column, code) and the
/// number of commands; the brain must be unchanged.
fn check(kind: Kind, text: &str, errors: &[(usize, Option<&str>, &str)], commands: usize) -> Plan {
    let b = setup();
    let before = b.clone();
    let plan = plan(&b, kind, text, &options()).unwrap();
    let got: Vec<(usize, Option<&str>, &str)> = plan
        .row_errors
        .iter()
        .map(|e| (e.line, e.column.as_deref(), e.code.as_str()))
        .collect();
    assert_eq!(got, errors, "{:#?}", plan.row_errors);
    assert_eq!(plan.commands.len(), commands);
    assert_eq!(b, before);
    plan
}

#[test]
fn a_good_counts_file_plans_one_command_per_row_and_applies_as_one_batch() {
    let plan = check(
        Kind::Counts,
        "experiment,variant,trials,conversions\nchannel,email,100,12\nchannel,sms,100,15\n",
        &[],
        2,
    );
    assert!(plan.header);
    assert_eq!(plan.delimiter, ",");
    assert_eq!(plan.summary.subjects, vec!["channel"]);
    assert_eq!(plan.summary.commands["ab.RecordCounts"], 2);
    assert_eq!(plan.lines, vec![2, 3]);
    let mut b = setup();
    b.execute_all(plan.commands).unwrap();
    let e = b.experiment("channel").unwrap();
    assert_eq!((e.variants[0].trials, e.variants[0].conversions), (100, 12));
    assert_eq!((e.variants[1].trials, e.variants[1].conversions), (100, 15));
}

#[test]
fn each_kind_of_bad_row_is_named_by_line_column_and_rule() {
    let head = "experiment,variant,trials,conversions\n";
    // Missing column: nothing is planned, the header line names it.
    check(
        Kind::Counts,
        "experiment,variant,trials\nchannel,email,100\n",
        &[(1, Some("conversions"), "missing_column")],
        0,
    );
    // Text in a number.
    check(
        Kind::Counts,
        &format!("{head}channel,email,ten,1\nchannel,sms,10,1\n"),
        &[(2, Some("trials"), "not_a_number")],
        1,
    );
    // A negative count: the engine's rule.
    check(
        Kind::Counts,
        &format!("{head}channel,email,10,-1\n"),
        &[(2, Some("conversions"), "invalid_count")],
        0,
    );
    // Conversions above trials.
    check(
        Kind::Counts,
        &format!("{head}channel,email,10,12\n"),
        &[(2, Some("conversions"), "invalid_count")],
        0,
    );
    // An unknown variant.
    check(
        Kind::Counts,
        &format!("{head}channel,push,10,1\n"),
        &[(2, Some("variant"), "unknown_variant")],
        0,
    );
    // A short row.
    check(
        Kind::Counts,
        &format!("{head}channel,email,10\n"),
        &[(2, Some("conversions"), "missing_value")],
        0,
    );
    // A duplicate outcome id: with the brain's and within the file.
    check(
        Kind::Outcomes,
        "series_id,outcome_id,value\naccuracy/scorer,w1,0.8\naccuracy/scorer,w2,0.8\naccuracy/scorer,w2,0.9\n",
        &[
            (2, Some("outcome_id"), "duplicate_outcome"),
            (4, Some("outcome_id"), "duplicate_outcome"),
        ],
        1,
    );
}

#[test]
fn a_quoted_newline_stays_in_its_cell_and_later_lines_keep_their_numbers() {
    let plan = check(
        Kind::Leads,
        "name,value,terms,city\r\n\"Ann Lee\",320000,\"cash,\r\n30 days\",Austin\r\nBo,-1,,Dallas\r\n",
        &[(4, Some("value"), "invalid_number")],
        1,
    );
    let Command::Packets(crate::packets::Command::BuildPacket { lead, .. }) =
        &plan.commands[0].command
    else {
        panic!("not a packet: {:?}", plan.commands[0]);
    };
    assert_eq!(lead.terms, "cash,\r\n30 days");
    assert_eq!(lead.fields["city"], "Austin");
}

#[test]
fn semicolons_a_bom_and_no_header_are_read_by_position() {
    let plan = check(
        Kind::Counts,
        "\u{feff}channel;email;100;12\r\nchannel;sms;90;9\r\n",
        &[],
        2,
    );
    assert!(!plan.header);
    assert_eq!(plan.delimiter, ";");
    assert_eq!(plan.preview[1], vec!["channel", "sms", "90", "9"]);
}

#[test]
fn a_new_series_is_defined_first_and_named_as_new() {
    let plan = check(
        Kind::Outcomes,
        "series_id,value,metric,direction\nlatency/api,120,latency,lower_is_better\nlatency/api,110,,\n",
        &[],
        3,
    );
    assert_eq!(plan.summary.new_subjects, vec!["latency/api"]);
    assert_eq!(plan.summary.commands["outcomes.DefineSeries"], 1);
}

#[test]
fn drift_rows_become_one_assessment_per_series() {
    let plan = check(
        Kind::Drift,
        "series_id\tsample\tvalue\naccuracy/scorer\treference\t0.8\naccuracy/scorer\tcurrent\t0.9\naccuracy/scorer\tnow\t1\naccuracy/scorer\treference\t0.7\naccuracy/scorer\tcurrent\t0.95\n",
        &[(4, Some("sample"), "invalid_sample")],
        1,
    );
    assert_eq!(plan.delimiter, "\t");
}

#[test]
fn rows_with_dates_are_commands_at_those_times() {
    let plan = check(
        Kind::Counts,
        "date,experiment,variant,trials,conversions\n2026-03-03,channel,email,5,1\n2026-03-02T10:00:00Z,channel,sms,5,1\nyesterday,channel,sms,5,1\n",
        &[(3, Some("date"), "time_backwards"), (4, Some("date"), "invalid_time")],
        1,
    );
    assert_eq!(
        plan.commands[0].at,
        Utc.with_ymd_and_hms(2026, 3, 3, 0, 0, 0).unwrap()
    );
}

#[test]
fn a_planner_in_slices_gives_the_same_plan_and_reports_progress() {
    let b = setup();
    let mut text = String::from("experiment,variant,trials,conversions\n");
    for i in 0..25 {
        text.push_str(&format!(
            "channel,{},10,{}\n",
            if i % 2 == 0 { "email" } else { "sms" },
            i % 11
        ));
    }
    let whole = plan(&b, Kind::Counts, &text, &options()).unwrap();
    let mut p = Planner::new(&b, Kind::Counts, &text, &options()).unwrap();
    assert_eq!(p.progress(), (0, 25));
    assert!(!p.step(10));
    assert_eq!(p.progress(), (10, 25));
    while !p.step(10) {}
    assert_eq!(p.finish(), whole);
}

use crate::brain::Command;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Export then import: counts, outcomes, sources and leads come back the
    /// same into a brain with the same registrations; every other table
    /// reads back with its header and one record per row.
    #[test]
    fn export_then_import_round_trips(
        counts in proptest::collection::vec((0u8..2, 0i64..1000, 0i64..1000), 1..6),
        values in proptest::collection::vec(-1e6f64..1e6, 1..6),
        names in proptest::collection::vec("[A-Za-z][A-Za-z ,;\"]{0,12}[a-z]", 1..4),
    ) {
        let mut a = setup();
        let mut minute = 4;
        for (v, t, c) in &counts {
            let variant = ["email", "sms"][*v as usize];
            let (t, c) = (*t.max(c), *t.min(c));
            run(&mut a, minute, &format!(r#"{{"block":"ab","type":"RecordCounts","experiment":"channel","variant":"{variant}","trials":{t},"conversions":{c}}}"#));
            minute += 1;
        }
        for (i, x) in values.iter().enumerate() {
            run(&mut a, minute, &format!(r#"{{"block":"outcomes","type":"RecordOutcome","series_id":"accuracy/scorer","outcome_id":"o{i}","value":{x}}}"#));
            minute += 1;
        }
        for (i, n) in names.iter().enumerate() {
            let lead = serde_json::json!({"name": n, "value": i as f64 + 0.5, "terms": format!("{n},\r\n{n}"), "fields": {"city": n}});
            run(&mut a, minute, &serde_json::json!({"block":"packets","type":"BuildPacket","lead": lead}).to_string());
            run(&mut a, minute, &serde_json::json!({"block":"ingest","type":"AddSource","source": format!("src{i}")}).to_string());
            minute += 1;
        }
        // Into an empty copy with the experiment's variants registered.
        let mut b = Brain::new();
        for (m, v) in [(0, "email"), (1, "sms")] {
            run(&mut b, m, &format!(r#"{{"block":"ab","type":"RegisterVariant","experiment":"channel","variant":"{v}","kind":"channel"}}"#));
        }
        let o = Options { at: Some(at(59)), ..Options::default() };
        for (table, kind) in [(Table::Series, Kind::Outcomes), (Table::Experiments, Kind::Counts), (Table::Packets, Kind::Leads), (Table::Sources, Kind::Sources)] {
            let text = export(&a, table);
            let p = plan(&b, kind, &text, &o).unwrap();
            // A new brain already allows the default sources: only those
            // rows are refused, by the engine's duplicate rule.
            let expected_refusals = if table == Table::Sources { b.sources().len() } else { 0 };
            prop_assert!(p.row_errors.iter().all(|e| e.code == "duplicate_source"), "{table:?}: {:?}\n{text}", p.row_errors);
            prop_assert_eq!(p.row_errors.len(), expected_refusals);
            b.execute_all(p.commands).unwrap();
        }
        let totals = |x: &Brain| x.experiment("channel").unwrap().variants.iter().map(|v| (v.trials, v.conversions)).collect::<Vec<_>>();
        prop_assert_eq!(totals(&a), totals(&b));
        let outcomes = |x: &Brain| x.state().outcomes.series["accuracy/scorer"].outcomes.iter().map(|o| (o.outcome_id.clone(), o.value)).collect::<Vec<_>>();
        prop_assert_eq!(outcomes(&a), outcomes(&b));
        let leads = |x: &Brain| x.packets().iter().map(|p| p.lead.clone()).collect::<Vec<_>>();
        prop_assert_eq!(leads(&a), leads(&b));
        let sources = |x: &Brain| x.sources().iter().map(|s| s.source.clone()).collect::<Vec<_>>();
        prop_assert_eq!(sources(&a), sources(&b));
        for table in Table::ALL {
            let text = export(&a, table);
            let t = read::read(&text, None);
            let rows = t.records.len();
            let expected = match table {
                Table::Experiments => 2,
                Table::Series => values.len() + 1,
                Table::Packets => names.len(),
                Table::Sources => a.sources().len(),
                Table::Audit => a.log().len(),
                _ => rows.saturating_sub(1),
            };
            prop_assert_eq!(rows.saturating_sub(1), expected, "{:?}", table);
        }
    }
}

#[test]
fn exported_headers_are_the_consoles_labels_in_its_order_then_the_other_columns() {
    let b = Brain::demo(at(0));
    let header = |t: Table| export(&b, t).lines().next().unwrap_or("").to_string();
    assert!(
        header(Table::Experiments).starts_with("Experiment,Variant,Weight,Trials,Conversions,Rate,Interval low,Interval high,Lift vs control,"),
        "{}",
        header(Table::Experiments)
    );
    assert!(
        header(Table::Audit).starts_with("#,When (UTC),Actor,Subject,Action,Outcome,Detail,Hash,")
    );
    assert!(header(Table::Sources).starts_with("Source,Status,Accepted,Blocked,Last reasons"));
    // Columns the page does not show keep their machine names.
    assert!(header(Table::Audit).contains(",command_hash,"));
    let mut policy = b.state().policy.clone();
    policy.promotion.consecutive = 1;
    let report = b.what_if(&policy).unwrap();
    assert!(!report.differences.is_empty());
    assert!(export_what_if(&report).starts_with(
        "#,Kind,Command,Current outcome,Current reason,Alternative outcome,Alternative reason"
    ));
}

#[test]
fn a_packets_export_under_the_consoles_labels_imports_back_as_leads() {
    let b = Brain::demo(at(0));
    let text = export(&b, Table::Packets);
    assert!(text.starts_with("Id,Lead,Value,Terms,Source,Scripts,Channels,Built"));
    let o = Options {
        at: b.log().last().map(|e| e.at),
        ..options()
    };
    let p = plan(&b, Kind::Leads, &text, &o).unwrap();
    assert_eq!(p.commands.len(), b.packets().len(), "{:?}", p.row_errors);
    // The packet's own columns are not read as lead fields.
    for c in &p.columns {
        if ["Id", "Scripts", "Channels", "Built"].contains(&c.header.as_str()) {
            assert_eq!(c.field, None, "{}", c.header);
        }
    }
}
