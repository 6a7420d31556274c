//! Block 23: packets built from leads recommend the Primary scripts and the
//! winning channels; templates fill `{{field}}`s; export to JSON.

use brain_core::packets::{Command as Pk, Lead};
use brain_core::{Brain, Command, Envelope};
use chrono::{Duration, TimeZone, Utc};
use std::collections::BTreeMap;

fn main() {
    let t0 = Utc
        .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default();
    // The demo has a Primary script and a winning channel.
    let mut brain = Brain::demo(t0);
    let mut at = brain.state().last_at.unwrap_or(t0);
    let mut run = |brain: &mut Brain, cmd: Pk| {
        at += Duration::minutes(1);
        match brain.execute(Envelope::new(at, Command::Packets(cmd))) {
            Ok(_) => {}
            Err(e) => println!("refused [{}]: {e}", e.code()),
        }
    };
    let mut fields = BTreeMap::new();
    fields.insert("city".to_string(), "Round Rock".to_string());
    run(
        &mut brain,
        Pk::BuildPacket {
            lead: Lead {
                name: "Gil Hart".into(),
                value: 410_000.0,
                terms: "seller financing".into(),
                source: "referral".into(),
                fields,
            },
            scripts: None,
            channels: None,
        },
    );
    println!("Invalid leads are refused:");
    run(
        &mut brain,
        Pk::BuildPacket {
            lead: Lead {
                name: " ".into(),
                value: 1.0,
                terms: String::new(),
                source: String::new(),
                fields: BTreeMap::new(),
            },
            scripts: None,
            channels: None,
        },
    );
    run(
        &mut brain,
        Pk::BuildPacket {
            lead: Lead {
                name: "X".into(),
                value: f64::NAN,
                terms: String::new(),
                source: String::new(),
                fields: BTreeMap::new(),
            },
            scripts: None,
            channels: None,
        },
    );
    run(
        &mut brain,
        Pk::AddTemplate {
            name: "needs-zip".into(),
            body: "Zip: {{zip}}".into(),
        },
    );
    println!("\nPackets:");
    for p in brain.packets() {
        println!(
            "  {} {:<8} ${:>9.0} scripts {:?} channels {:?}",
            p.id, p.lead.name, p.lead.value, p.scripts, p.channels
        );
    }
    if let Some(last) = brain.packets().last() {
        let id = last.id.to_string();
        println!(
            "\nRendered 'intro' template:\n  {}",
            brain
                .render_template("intro", &id)
                .unwrap_or_else(|e| e.to_string())
        );
        match brain.render_template("needs-zip", &id) {
            Ok(text) => println!("  {text}"),
            Err(e) => println!("\nMissing field [{}]: {e}", e.code()),
        }
        println!(
            "\nExport of one packet:\n{}",
            brain.export_packet(&id).unwrap_or_default()
        );
    }
}
