//! Policy JSON: any JSON value given as a policy, directly and as the partial policy of a
//! `SetPolicy` command on the demo brain. The command is accepted exactly when the value, merged
//! over the policy in force (`policy::merge`), gives a policy that validates, and the brain then
//! holds that policy; a valid policy round-trips through JSON, builds a brain, replays the demo
//! under it (what-if) and answers every query; an invalid one is refused everywhere with the
//! state unchanged.
#![no_main]

use brain_core::brain::Brain;
use brain_core::policy::{merge, PolicyPatch};
use brain_core::Policy;
use brain_fuzz::{after_demo, assert_sound, demo, query_everything};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let direct = serde_json::from_str::<Policy>(text);
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        assert!(direct.is_err(), "a policy that is not JSON was read");
        return;
    };
    let parsed = serde_json::from_value::<Policy>(value.clone());
    if let Ok(policy) = &direct {
        assert_eq!(
            parsed.as_ref().ok(),
            Some(policy),
            "text and value read alike"
        );
    }
    let envelope = serde_json::json!({
        "at": after_demo(),
        "block": "policy",
        "type": "SetPolicy",
        "policy": value,
    });
    let mut brain = demo().clone();
    let executed = brain.execute_json(&envelope.to_string());
    let merged = PolicyPatch::from_value(value.clone()).and_then(|p| merge(demo().policy(), &p));
    assert_eq!(
        executed.is_ok(),
        merged.is_ok(),
        "SetPolicy is accepted exactly when the merged policy validates: {executed:?} {merged:?}"
    );
    match &merged {
        Ok(m) => assert_eq!(brain.policy(), m, "the brain holds the merged policy"),
        Err(_) => assert!(brain == *demo(), "a refused patch changed the brain"),
    }
    let valid = parsed
        .as_ref()
        .map(|p| p.validate().is_ok())
        .unwrap_or(false);
    let Ok(policy) = parsed else {
        assert!(brain == *demo());
        return;
    };
    let json = serde_json::to_string(&policy).expect("a policy serialises");
    assert_eq!(
        serde_json::from_str::<Policy>(&json).ok().as_ref(),
        Some(&policy),
        "round trip"
    );
    if !valid {
        assert!(Brain::with_policy(policy.clone()).is_err());
        assert!(demo().what_if(&policy).is_err());
        return;
    }
    query_everything(&brain);
    assert_sound(&brain, "the demo under a fuzzed policy");
    assert!(Brain::with_policy(policy.clone()).is_ok());
    demo()
        .what_if(&policy)
        .unwrap_or_else(|e| panic!("what-if refuses a valid policy: {e}"));
});
