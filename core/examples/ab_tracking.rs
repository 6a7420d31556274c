//! Block 21: register script and channel variants, record aggregated counts,
//! and print rates with intervals and the winner the statistics engine picks.

use brain_core::ab::{Command as Ab, VariantKind};
use brain_core::{Brain, Command, Envelope};
use chrono::{Duration, TimeZone, Utc};

fn main() {
    let t0 = Utc
        .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let mut brain = Brain::new();
    let mut minute = 0;
    let mut run = |brain: &mut Brain, cmd: Ab| {
        minute += 1;
        if let Err(e) = brain.execute(Envelope::new(
            t0 + Duration::minutes(minute),
            Command::Ab(cmd),
        )) {
            println!("  refused [{}]: {e}", e.code());
        }
    };
    for (exp, kind, names) in [
        (
            "opening-script",
            VariantKind::Script,
            ["warm-open", "direct-ask", "story-led"],
        ),
        (
            "contact-channel",
            VariantKind::Channel,
            ["sms", "email", "phone"],
        ),
    ] {
        for n in names {
            run(
                &mut brain,
                Ab::RegisterVariant {
                    experiment: exp.into(),
                    variant: n.into(),
                    kind,
                    weight: 1.0,
                },
            );
        }
    }
    for (exp, var, t, c) in [
        ("opening-script", "warm-open", 1200, 168),
        ("opening-script", "direct-ask", 1200, 72),
        ("opening-script", "story-led", 1200, 108),
        ("contact-channel", "sms", 1500, 270),
        ("contact-channel", "email", 1500, 120),
        ("contact-channel", "phone", 1500, 180),
    ] {
        run(
            &mut brain,
            Ab::RecordCounts {
                experiment: exp.into(),
                variant: var.into(),
                trials: t,
                conversions: c,
            },
        );
    }
    println!("Bad input is a typed error, and nothing changes:");
    run(
        &mut brain,
        Ab::RecordCounts {
            experiment: "contact-channel".into(),
            variant: "sms".into(),
            trials: 10,
            conversions: 12,
        },
    );
    run(
        &mut brain,
        Ab::RecordCounts {
            experiment: "contact-channel".into(),
            variant: "fax".into(),
            trials: 10,
            conversions: 1,
        },
    );

    for report in brain.experiments() {
        println!("\nExperiment {} ({:?})", report.experiment, report.kind);
        println!(
            "  {:<12} {:>7} {:>6} {:>7}  {:<17} {:>8} {:>9}",
            "variant", "trials", "conv", "rate", "95% interval", "lift", "p-value"
        );
        for v in &report.variants {
            println!(
                "  {:<12} {:>7} {:>6} {:>6.2}%  [{:>5.2}%, {:>5.2}%] {:>8} {:>9}",
                v.name,
                v.trials,
                v.conversions,
                100.0 * v.rate,
                100.0 * v.low,
                100.0 * v.high,
                v.lift
                    .map(|l| format!("{:+.1}%", 100.0 * l))
                    .unwrap_or_else(|| "control".into()),
                v.p_value.map(|p| format!("{p:.2e}")).unwrap_or_default(),
            );
        }
        println!(
            "  winner: {} ({})",
            report.winner.as_deref().unwrap_or("none yet"),
            report.reason
        );
        if let Some(split) = brain.allocation(&report.experiment) {
            let shares: Vec<String> = split
                .iter()
                .map(|(n, w)| format!("{n} {:.0}%", 100.0 * w))
                .collect();
            println!(
                "  Thompson-sampling split for the next batch: {}",
                shares.join(", ")
            );
        }
    }
}
