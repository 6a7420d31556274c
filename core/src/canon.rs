//! Canonical forms: SHA-256 of canonical JSON (maps are `BTreeMap`s, so key
//! order is fixed) and a walk that finds any NaN or infinity in a value,
//! which JSON would silently turn into `null`.

use serde::ser::{self, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    let digit = |n: u8| char::from(DIGITS.get(usize::from(n)).copied().unwrap_or(b'0'));
    for byte in bytes {
        out.push(digit(byte >> 4));
        out.push(digit(byte & 0x0f));
    }
    out
}

/// Writes serialised JSON straight into the hasher (no intermediate string).
struct HashWriter<'a>(&'a mut Sha256);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// SHA-256 (hex) of the canonical JSON of `value`. Serialising our own types
/// cannot fail (no non-string map keys); a failure would hash what was written.
pub fn sha256_json<T: Serialize + ?Sized>(value: &T) -> String {
    let mut hasher = Sha256::new();
    let _ = serde_json::to_writer(HashWriter(&mut hasher), value);
    hex(&hasher.finalize())
}

/// The first non-finite number found in a value, with its path.
#[derive(Debug, Clone, PartialEq)]
pub struct NonFinite {
    /// Dotted path of the field, e.g. `ab.experiments.x.weight`.
    pub path: String,
    /// The value as text ("NaN", "inf", "-inf").
    pub value: String,
}

/// Returns the first NaN or infinity in `value`, if any.
pub fn find_non_finite<T: Serialize + ?Sized>(value: &T) -> Option<NonFinite> {
    let mut walker = Walker {
        path: Vec::new(),
        found: None,
    };
    let _ = value.serialize(&mut walker);
    walker.found
}

struct Walker {
    path: Vec<String>,
    found: Option<NonFinite>,
}

#[derive(Debug)]
struct Stop;
impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("non-finite number found")
    }
}
impl std::error::Error for Stop {}
impl ser::Error for Stop {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Stop
    }
}

impl Walker {
    fn float(&mut self, v: f64) -> Result<(), Stop> {
        if v.is_finite() {
            Ok(())
        } else {
            self.found = Some(NonFinite {
                path: self.path.join("."),
                value: v.to_string(),
            });
            Err(Stop)
        }
    }
    fn with_key<T: Serialize + ?Sized>(&mut self, key: String, value: &T) -> Result<(), Stop> {
        self.path.push(key);
        let result = value.serialize(&mut *self);
        self.path.pop();
        result
    }
}

/// Serialises a map key to a plain string for paths.
fn key_text<T: Serialize + ?Sized>(key: &T) -> String {
    match serde_json::to_value(key) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::from("?"),
    }
}

macro_rules! ok_scalars {
    ($($name:ident: $ty:ty),*) => {
        $(fn $name(self, _v: $ty) -> Result<(), Stop> { Ok(()) })*
    };
}

impl<'a> ser::Serializer for &'a mut Walker {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = Seq<'a>;
    type SerializeMap = Map<'a>;
    type SerializeStruct = &'a mut Walker;
    type SerializeStructVariant = &'a mut Walker;

    ok_scalars!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_char: char, serialize_str: &str, serialize_bytes: &[u8]);

    fn serialize_f32(self, v: f32) -> Result<(), Stop> {
        self.float(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Stop> {
        self.float(v)
    }
    fn serialize_none(self) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Stop> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _n: &'static str,
        _i: u32,
        _v: &'static str,
    ) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _n: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _n: &'static str,
        _i: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        self.with_key(variant.to_string(), value)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Seq<'a>, Stop> {
        Ok(Seq {
            walker: self,
            index: 0,
        })
    }
    fn serialize_tuple(self, _len: usize) -> Result<Seq<'a>, Stop> {
        Ok(Seq {
            walker: self,
            index: 0,
        })
    }
    fn serialize_tuple_struct(self, _n: &'static str, _len: usize) -> Result<Seq<'a>, Stop> {
        Ok(Seq {
            walker: self,
            index: 0,
        })
    }
    fn serialize_tuple_variant(
        self,
        _n: &'static str,
        _i: u32,
        _v: &'static str,
        _len: usize,
    ) -> Result<Seq<'a>, Stop> {
        Ok(Seq {
            walker: self,
            index: 0,
        })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Map<'a>, Stop> {
        Ok(Map {
            walker: self,
            key: String::new(),
        })
    }
    fn serialize_struct(self, _n: &'static str, _len: usize) -> Result<&'a mut Walker, Stop> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _n: &'static str,
        _i: u32,
        _v: &'static str,
        _len: usize,
    ) -> Result<&'a mut Walker, Stop> {
        Ok(self)
    }
}

struct Seq<'a> {
    walker: &'a mut Walker,
    index: usize,
}

impl Seq<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        let key = self.index.to_string();
        self.index += 1;
        self.walker.with_key(key, value)
    }
}

macro_rules! seq_impl {
    ($($trait:ident :: $method:ident),*) => {
        $(impl ser::$trait for Seq<'_> {
            type Ok = ();
            type Error = Stop;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
                self.element(value)
            }
            fn end(self) -> Result<(), Stop> {
                Ok(())
            }
        })*
    };
}
seq_impl!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

struct Map<'a> {
    walker: &'a mut Walker,
    key: String,
}

impl ser::SerializeMap for Map<'_> {
    type Ok = ();
    type Error = Stop;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Stop> {
        self.key = key_text(key);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        let key = std::mem::take(&mut self.key);
        self.walker.with_key(key, value)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

macro_rules! struct_impl {
    ($($trait:ident),*) => {
        $(impl ser::$trait for &mut Walker {
            type Ok = ();
            type Error = Stop;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Stop> {
                self.with_key(key.to_string(), value)
            }
            fn end(self) -> Result<(), Stop> {
                Ok(())
            }
        })*
    };
}
struct_impl!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    struct Inner {
        values: Vec<f64>,
    }
    #[derive(Serialize)]
    struct Outer {
        name: String,
        inner: BTreeMap<String, Inner>,
        score: Option<f64>,
    }

    #[test]
    fn finds_nan_with_its_path_and_passes_finite_values() {
        let mut inner = BTreeMap::new();
        inner.insert(
            "a".to_string(),
            Inner {
                values: vec![1.0, f64::NAN],
            },
        );
        let outer = Outer {
            name: "x".into(),
            inner,
            score: Some(0.5),
        };
        let found = find_non_finite(&outer);
        assert_eq!(found.map(|f| f.path), Some("inner.a.values.1".to_string()));

        let fine = Outer {
            name: "x".into(),
            inner: BTreeMap::new(),
            score: Some(f64::INFINITY),
        };
        assert_eq!(
            find_non_finite(&fine).map(|f| f.path),
            Some("score".to_string())
        );
        let clean = Outer {
            name: "x".into(),
            inner: BTreeMap::new(),
            score: None,
        };
        assert_eq!(find_non_finite(&clean), None);
    }

    #[test]
    fn hash_is_hex_sha256_of_the_json() {
        let h = sha256_json(&serde_json::json!({"a": 1}));
        assert_eq!(h.len(), 64);
        assert_eq!(h, sha256_json(&serde_json::json!({"a": 1})));
        assert_ne!(h, sha256_json(&serde_json::json!({"a": 2})));
    }
}
