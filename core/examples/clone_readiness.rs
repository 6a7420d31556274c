//! Block 27: readiness scores with weights 0.4/0.3/0.2/0.1, contributions,
//! the gap to the 0.80 threshold, and what to improve.

use brain_core::readiness::{score, Factors};
use brain_core::Policy;

fn main() {
    let policy = Policy::default().readiness;
    println!(
        "weights {:?}, ready at >= {}",
        policy.weights, policy.ready_threshold
    );
    let clones = [
        (
            "clone-alpha",
            Factors {
                accuracy: 0.92,
                confidence: 0.85,
                consistency: 0.80,
                robustness: 0.75,
            },
        ),
        (
            "clone-beta",
            Factors {
                accuracy: 0.70,
                confidence: 0.65,
                consistency: 0.90,
                robustness: 0.60,
            },
        ),
        (
            "clone-bad",
            Factors {
                accuracy: f64::NAN,
                confidence: 0.5,
                consistency: 0.5,
                robustness: 0.5,
            },
        ),
    ];
    for (name, f) in clones {
        match score(&f, &policy) {
            Ok(r) => {
                println!(
                    "\n{name}: composite {:.3}, ready {}, gap {:.3}",
                    r.composite, r.ready, r.gap
                );
                for c in &r.contributions {
                    println!(
                        "  {:<12} {:.2} x {:.1} = {:.3}",
                        format!("{:?}", c.factor),
                        c.value,
                        c.weight,
                        c.contribution
                    );
                }
                println!("  {}", r.explanation);
            }
            Err(e) => println!("\n{name}: error [{}]: {e}", e.code()),
        }
    }
}
