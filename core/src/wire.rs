//! Reading the engine's tagged JSON without serde's `Content` buffer.
//!
//! Commands and events are internally tagged: `{"block": "ab", "type":
//! "RecordCounts", ...fields}`. serde's derive reads such an enum by first
//! copying the whole object into its private `Content` tree, then reading the
//! variant's fields from that copy: one more copy per tag level, and a second
//! copy of every variant's field-reading code (for `Content` besides
//! `serde_json::Value`), which was a fifth of the JS package's wasm.
//!
//! Here the object is parsed once into a `Value`; the tags are taken out of
//! it, and the rest is read by a derived *externally* tagged twin of the enum
//! (`{"RecordCounts": {...fields}}`), which serde reads straight from the
//! `Value`. The JSON, the field attributes and the error wording ("missing
//! field `type`", "unknown variant `X`, expected one of ...") are the same.

use serde::de::{Error as _, Unexpected};
use serde_json::{Map, Value};

/// What a JSON value is, for "invalid type" errors.
pub fn unexpected(v: &Value) -> Unexpected<'_> {
    match v {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// The object of `v`, or an "invalid type" error naming `what`.
pub fn object<'a>(
    v: &'a mut Value,
    what: &'static str,
) -> Result<&'a mut Map<String, Value>, serde_json::Error> {
    if !v.is_object() {
        return Err(serde_json::Error::invalid_type(unexpected(v), &what));
    }
    Ok(v.as_object_mut().expect("checked above"))
}

/// Takes the string tag `tag` out of an object ("missing field `tag`" when
/// absent).
pub fn take_tag(
    v: &mut Value,
    tag: &'static str,
    what: &'static str,
    expected: &'static str,
) -> Result<String, serde_json::Error> {
    match object(v, what)?.remove(tag) {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(serde_json::Error::invalid_type(
            unexpected(&other),
            &expected,
        )),
        None => Err(serde_json::Error::missing_field(tag)),
    }
}

/// `{tag: rest}`: the externally tagged form of an internally tagged object
/// whose tag was taken out.
pub fn external(tag: String, rest: Value) -> Value {
    let mut map = Map::new();
    map.insert(tag, rest);
    Value::Object(map)
}

/// Declares a block's command or event enum, internally tagged by `type`
/// (`{"type": "Variant", ...fields}`), with every variant a struct variant.
/// Serialize (and the TypeScript declarations) are derived as written; the
/// Deserialize goes through `wire` (see the module's doc): the macro writes
/// the enum's externally tagged twin with the same variants and field
/// attributes, and reads through it.
macro_rules! tagged_enum {
    (
        $(#[$attr:meta])*
        pub enum $name:ident {
            $(
                $(#[$vattr:meta])*
                $variant:ident {
                    $(
                        $(#[$fattr:meta])*
                        $field:ident : $fty:ty
                    ),* $(,)?
                }
            ),* $(,)?
        }
    ) => {
        $(#[$attr])*
        #[serde(tag = "type")]
        pub enum $name {
            $(
                $(#[$vattr])*
                $variant {
                    $(
                        $(#[$fattr])*
                        $field : $fty
                    ),*
                }
            ),*
        }

        const _: () = {
            type Remote = $name;

            // The twin: never built (its derive builds `Remote`'s variants).
            #[allow(dead_code, clippy::large_enum_variant, clippy::enum_variant_names)]
            #[derive(serde::Deserialize)]
            #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
            #[serde(remote = "Remote")]
            enum External {
                $(
                    $(#[$vattr])*
                    $variant {
                        $(
                            $(#[$fattr])*
                            $field : $fty
                        ),*
                    }
                ),*
            }

            impl<'de> serde::Deserialize<'de> for $name {
                fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    let mut v = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
                    let tag = $crate::wire::take_tag(&mut v, "type", "an object", "a type name")
                        .map_err(serde::de::Error::custom)?;
                    External::deserialize($crate::wire::external(tag, v))
                        .map_err(serde::de::Error::custom)
                }
            }
        };
    };
}

#[cfg(test)]
mod tests {
    use crate::ab;

    fn read(json: &str) -> Result<ab::Command, String> {
        serde_json::from_str::<serde_json::Value>(json)
            .and_then(serde_json::from_value::<ab::Command>)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn a_tagged_enum_reads_its_json_with_serde_wording() {
        // Field attributes hold: `weight` defaults to 1.
        assert_eq!(
            read(r#"{"type":"RegisterVariant","experiment":"e","variant":"v","kind":"script"}"#),
            Ok(ab::Command::RegisterVariant {
                experiment: "e".into(),
                variant: "v".into(),
                kind: ab::VariantKind::Script,
                weight: 1.0,
            })
        );
        let err = |json: &str| read(json).err().unwrap_or_default();
        assert_eq!(err(r#"{"experiment":"e"}"#), "missing field `type`");
        assert_eq!(
            err(r#"{"type":"Register"}"#),
            "unknown variant `Register`, expected `RegisterVariant` or `RecordCounts`"
        );
        assert_eq!(
            err(r#"{"type":3}"#),
            "invalid type: integer `3`, expected a type name"
        );
        assert_eq!(
            err(r#""RecordCounts""#),
            "invalid type: string \"RecordCounts\", expected an object"
        );
        assert_eq!(
            err(r#"{"type":"RecordCounts","experiment":"e","variant":"v","trials":1}"#),
            "missing field `conversions`"
        );
        assert_eq!(
            err(
                r#"{"type":"RecordCounts","experiment":"e","variant":"v","trials":"1","conversions":0}"#
            ),
            "invalid type: string \"1\", expected i64"
        );
    }
}
