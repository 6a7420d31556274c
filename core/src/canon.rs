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

/// Room for the JSON of a command, its events or an audit leaf (a few hundred
/// bytes) without growing.
const JSON_CAPACITY: usize = 1024;

/// SHA-256 (hex) of the canonical JSON of `value`. Serialising our own types
/// cannot fail (no non-string map keys); a failure would hash what was written.
///
/// The JSON is written to a buffer and hashed in one update rather than
/// through a writer that updates the hasher with each small piece serde_json
/// writes (a key, a colon, a string): the buffer's JSON writer is the one the
/// rest of the engine uses, and dropping the hasher's own made the engine's
/// wasm 36 KB gzip smaller (issue 19).
pub fn sha256_json<T: Serialize + ?Sized>(value: &T) -> String {
    let mut bytes = Vec::with_capacity(JSON_CAPACITY);
    let _ = serde_json::to_writer(&mut bytes, value);
    hex(&Sha256::digest(&bytes))
}

/// SHA-256 (hex) of the JSON of `value`, an object, with some of its
/// top-level keys written under other names (`(name, written as)` pairs):
/// the same bytes `sha256_json` hashes, key order kept, but for those keys.
/// What lets a hash stay bound to the names a value had when it was first
/// hashed after its wire names change (see `crate::brain::hash_names`).
/// A value that is not an object is hashed as it is.
pub fn sha256_json_renamed<T: Serialize + ?Sized>(value: &T, renames: &[(&str, &str)]) -> String {
    let mut bytes = Vec::with_capacity(JSON_CAPACITY);
    let renaming = Renaming {
        out: &mut bytes,
        renames,
    };
    if value.serialize(renaming).is_err() {
        return sha256_json(value);
    }
    hex(&Sha256::digest(&bytes))
}

/// A serialiser for one object that writes serde_json's compact bytes,
/// renaming its top-level keys; anything but a map or struct is refused.
struct Renaming<'a, W> {
    out: W,
    renames: &'a [(&'a str, &'a str)],
}

/// The object being written by [`Renaming`].
struct RenamingMap<'a, W> {
    out: W,
    renames: &'a [(&'a str, &'a str)],
    first: bool,
}

fn not_an_object() -> serde_json::Error {
    ser::Error::custom("not an object")
}

macro_rules! refuse {
    ($($name:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $name(self, $(_: $arg),*) -> Result<(), serde_json::Error> {
            Err(not_an_object())
        })*
    };
}

impl<'a, W: std::io::Write> ser::Serializer for Renaming<'a, W> {
    type Ok = ();
    type Error = serde_json::Error;
    type SerializeSeq = ser::Impossible<(), serde_json::Error>;
    type SerializeTuple = ser::Impossible<(), serde_json::Error>;
    type SerializeTupleStruct = ser::Impossible<(), serde_json::Error>;
    type SerializeTupleVariant = ser::Impossible<(), serde_json::Error>;
    type SerializeMap = RenamingMap<'a, W>;
    type SerializeStruct = RenamingMap<'a, W>;
    type SerializeStructVariant = ser::Impossible<(), serde_json::Error>;

    refuse!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), serde_json::Error> {
        Err(not_an_object())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<(), serde_json::Error> {
        Err(not_an_object())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), serde_json::Error> {
        Err(not_an_object())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, serde_json::Error> {
        Err(not_an_object())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, serde_json::Error> {
        Err(not_an_object())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, serde_json::Error> {
        Err(not_an_object())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, serde_json::Error> {
        Err(not_an_object())
    }
    fn serialize_map(mut self, _: Option<usize>) -> Result<Self::SerializeMap, serde_json::Error> {
        self.out.write_all(b"{").map_err(serde_json::Error::io)?;
        Ok(RenamingMap {
            out: self.out,
            renames: self.renames,
            first: true,
        })
    }
    fn serialize_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, serde_json::Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, serde_json::Error> {
        Err(not_an_object())
    }
}

impl<W: std::io::Write> RenamingMap<'_, W> {
    fn key(&mut self, key: &str) -> Result<(), serde_json::Error> {
        let name = self
            .renames
            .iter()
            .find(|(from, _)| *from == key)
            .map_or(key, |(_, to)| *to);
        if !self.first {
            self.out.write_all(b",").map_err(serde_json::Error::io)?;
        }
        self.first = false;
        serde_json::to_writer(&mut self.out, name)?;
        self.out.write_all(b":").map_err(serde_json::Error::io)
    }
}

impl<W: std::io::Write> ser::SerializeMap for RenamingMap<'_, W> {
    type Ok = ();
    type Error = serde_json::Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), serde_json::Error> {
        match serde_json::to_value(key)? {
            serde_json::Value::String(k) => self.key(&k),
            _ => Err(not_an_object()),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), serde_json::Error> {
        serde_json::to_writer(&mut self.out, v)
    }
    fn end(mut self) -> Result<(), serde_json::Error> {
        self.out.write_all(b"}").map_err(serde_json::Error::io)
    }
}

impl<W: std::io::Write> ser::SerializeStruct for RenamingMap<'_, W> {
    type Ok = ();
    type Error = serde_json::Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), serde_json::Error> {
        self.key(key)?;
        serde_json::to_writer(&mut self.out, v)
    }
    fn end(self) -> Result<(), serde_json::Error> {
        ser::SerializeMap::end(self)
    }
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

    #[test]
    fn renaming_hashes_the_same_bytes_but_for_the_renamed_top_level_keys() {
        #[derive(Serialize)]
        struct New {
            at: u32,
            script_id: String,
            nested: serde_json::Value,
        }
        let new = New {
            at: 1,
            script_id: "s".into(),
            nested: serde_json::json!({"script_id": [1.5, "x"]}),
        };
        // Unrenamed: exactly `sha256_json`'s bytes.
        assert_eq!(sha256_json_renamed(&new, &[]), sha256_json(&new));
        // Renamed: the bytes of the old struct, key order kept, nested keys untouched.
        let old = r#"{"at":1,"script":"s","nested":{"script_id":[1.5,"x"]}}"#;
        let mut h = Sha256::new();
        h.update(old.as_bytes());
        assert_eq!(
            sha256_json_renamed(&new, &[("script_id", "script")]),
            hex(&h.finalize())
        );
        // Not an object: hashed as it is.
        assert_eq!(sha256_json_renamed(&3, &[("a", "b")]), sha256_json(&3));
    }
}
