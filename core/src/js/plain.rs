//! Any `Serialize` value as a plain JS value (objects, arrays, numbers,
//! strings, booleans, null), built directly with `js_sys`: what
//! `JSON.parse(serde_json::to_string(value))` gives, without serde_json.
//!
//! Why: the lite build (no `engine` feature) has no serde_json, so the
//! statistics and assignment results (a handful of fields each) are built
//! here; the `Serialize` derives stay the one description of their JSON
//! shape, and a new exported function returning a `Serialize` type needs no
//! hand-written builder. It follows serde_json's choices where JSON has
//! them: `None`, unit and non-finite numbers are `null`, a unit variant is
//! its name, a newtype variant `{ name: value }`, map keys are strings.

use js_sys::{Array, Object, Reflect};
use serde::ser::{self, Serialize};
use wasm_bindgen::JsValue;

/// Why a value could not be built (a map key that is not a string or a
/// number, or a serializer's own error).
#[derive(Debug)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// `value` as a plain JS value.
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Error> {
    value.serialize(Plain)
}

/// A number as JSON writes it: non-finite numbers are `null`.
fn number(x: f64) -> JsValue {
    if x.is_finite() {
        JsValue::from_f64(x)
    } else {
        JsValue::NULL
    }
}

/// `obj[key] = value` on a fresh plain object (cannot fail: no setter, not
/// frozen).
fn set(obj: &Object, key: &JsValue, value: &JsValue) {
    let _ = Reflect::set(obj, key, value);
}

/// The serializer: each value becomes one JS value.
struct Plain;

/// An array being filled (sequences, tuples, tuple variants).
struct Seq {
    array: Array,
    /// For a tuple variant: `{ variant: [...] }`.
    variant: Option<&'static str>,
}

/// An object being filled (maps, structs, struct variants).
struct Map {
    object: Object,
    /// The key of the entry whose value comes next (maps).
    key: JsValue,
    /// For a struct variant: `{ variant: {...} }`.
    variant: Option<&'static str>,
}

/// Wraps `inner` as `{ variant: inner }` when given a variant name.
fn wrap(variant: Option<&'static str>, inner: JsValue) -> JsValue {
    match variant {
        Some(name) => {
            let outer = Object::new();
            set(&outer, &JsValue::from_str(name), &inner);
            outer.into()
        }
        None => inner,
    }
}

impl ser::Serializer for Plain {
    type Ok = JsValue;
    type Error = Error;
    type SerializeSeq = Seq;
    type SerializeTuple = Seq;
    type SerializeTupleStruct = Seq;
    type SerializeTupleVariant = Seq;
    type SerializeMap = Map;
    type SerializeStruct = Map;
    type SerializeStructVariant = Map;

    fn serialize_bool(self, v: bool) -> Result<JsValue, Error> {
        Ok(JsValue::from_bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<JsValue, Error> {
        Ok(JsValue::from_f64(f64::from(v)))
    }
    fn serialize_i16(self, v: i16) -> Result<JsValue, Error> {
        Ok(JsValue::from_f64(f64::from(v)))
    }
    fn serialize_i32(self, v: i32) -> Result<JsValue, Error> {
        Ok(JsValue::from_f64(f64::from(v)))
    }
    fn serialize_i64(self, v: i64) -> Result<JsValue, Error> {
        // Rounds to nearest as JSON.parse does with the integer's text.
        Ok(JsValue::from_f64(v as f64))
    }
    fn serialize_u8(self, v: u8) -> Result<JsValue, Error> {
        Ok(JsValue::from_f64(f64::from(v)))
    }
    fn serialize_u16(self, v: u16) -> Result<JsValue, Error> {
        Ok(JsValue::from_f64(f64::from(v)))
    }
    fn serialize_u32(self, v: u32) -> Result<JsValue, Error> {
        Ok(JsValue::from_f64(f64::from(v)))
    }
    fn serialize_u64(self, v: u64) -> Result<JsValue, Error> {
        // Rounds to nearest as JSON.parse does with the integer's text.
        Ok(JsValue::from_f64(v as f64))
    }
    fn serialize_f32(self, v: f32) -> Result<JsValue, Error> {
        Ok(number(f64::from(v)))
    }
    fn serialize_f64(self, v: f64) -> Result<JsValue, Error> {
        Ok(number(v))
    }
    fn serialize_char(self, v: char) -> Result<JsValue, Error> {
        Ok(JsValue::from_str(v.encode_utf8(&mut [0; 4])))
    }
    fn serialize_str(self, v: &str) -> Result<JsValue, Error> {
        Ok(JsValue::from_str(v))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<JsValue, Error> {
        // JSON writes bytes as an array of numbers.
        Ok(v.iter()
            .map(|b| JsValue::from_f64(f64::from(*b)))
            .collect::<Array>()
            .into())
    }
    fn serialize_none(self) -> Result<JsValue, Error> {
        Ok(JsValue::NULL)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<JsValue, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<JsValue, Error> {
        Ok(JsValue::NULL)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<JsValue, Error> {
        Ok(JsValue::NULL)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<JsValue, Error> {
        Ok(JsValue::from_str(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<JsValue, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<JsValue, Error> {
        Ok(wrap(Some(variant), value.serialize(self)?))
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Seq, Error> {
        Ok(Seq {
            array: Array::new(),
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Seq, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Seq, Error> {
        Ok(Seq {
            array: Array::new(),
            variant: Some(variant),
        })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Map, Error> {
        Ok(Map {
            object: Object::new(),
            key: JsValue::UNDEFINED,
            variant: None,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Map, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Map, Error> {
        Ok(Map {
            object: Object::new(),
            key: JsValue::UNDEFINED,
            variant: Some(variant),
        })
    }
}

impl ser::SerializeSeq for Seq {
    type Ok = JsValue;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.array.push(&value.serialize(Plain)?);
        Ok(())
    }
    fn end(self) -> Result<JsValue, Error> {
        Ok(wrap(self.variant, self.array.into()))
    }
}

impl ser::SerializeTuple for Seq {
    type Ok = JsValue;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<JsValue, Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Seq {
    type Ok = JsValue;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<JsValue, Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleVariant for Seq {
    type Ok = JsValue;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<JsValue, Error> {
        ser::SerializeSeq::end(self)
    }
}

/// Serializes a map key: JSON keys are strings, and numbers are written as
/// their decimal text.
struct Key;

impl Key {
    fn refuse() -> Error {
        Error("a map key must be a string or a number".to_owned())
    }
}

macro_rules! integer_keys {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, v: $ty) -> Result<JsValue, Error> {
            Ok(JsValue::from_str(&v.to_string()))
        })*
    };
}

impl ser::Serializer for Key {
    type Ok = JsValue;
    type Error = Error;
    type SerializeSeq = ser::Impossible<JsValue, Error>;
    type SerializeTuple = ser::Impossible<JsValue, Error>;
    type SerializeTupleStruct = ser::Impossible<JsValue, Error>;
    type SerializeTupleVariant = ser::Impossible<JsValue, Error>;
    type SerializeMap = ser::Impossible<JsValue, Error>;
    type SerializeStruct = ser::Impossible<JsValue, Error>;
    type SerializeStructVariant = ser::Impossible<JsValue, Error>;

    integer_keys!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64);

    fn serialize_str(self, v: &str) -> Result<JsValue, Error> {
        Ok(JsValue::from_str(v))
    }
    fn serialize_char(self, v: char) -> Result<JsValue, Error> {
        Ok(JsValue::from_str(v.encode_utf8(&mut [0; 4])))
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<JsValue, Error> {
        Ok(JsValue::from_str(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<JsValue, Error> {
        value.serialize(self)
    }
    fn serialize_bool(self, _v: bool) -> Result<JsValue, Error> {
        Err(Key::refuse())
    }
    fn serialize_f32(self, _v: f32) -> Result<JsValue, Error> {
        Err(Key::refuse())
    }
    fn serialize_f64(self, _v: f64) -> Result<JsValue, Error> {
        Err(Key::refuse())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<JsValue, Error> {
        Err(Key::refuse())
    }
    fn serialize_none(self) -> Result<JsValue, Error> {
        Err(Key::refuse())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<JsValue, Error> {
        Err(Key::refuse())
    }
    fn serialize_unit(self) -> Result<JsValue, Error> {
        Err(Key::refuse())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<JsValue, Error> {
        Err(Key::refuse())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<JsValue, Error> {
        Err(Key::refuse())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(Key::refuse())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Err(Key::refuse())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(Key::refuse())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(Key::refuse())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(Key::refuse())
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Error> {
        Err(Key::refuse())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(Key::refuse())
    }
}

impl ser::SerializeMap for Map {
    type Ok = JsValue;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = key.serialize(Key)?;
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        set(&self.object, &self.key, &value.serialize(Plain)?);
        Ok(())
    }
    fn end(self) -> Result<JsValue, Error> {
        Ok(wrap(self.variant, self.object.into()))
    }
}

impl ser::SerializeStruct for Map {
    type Ok = JsValue;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        set(
            &self.object,
            &JsValue::from_str(key),
            &value.serialize(Plain)?,
        );
        Ok(())
    }
    fn end(self) -> Result<JsValue, Error> {
        Ok(wrap(self.variant, self.object.into()))
    }
}

impl ser::SerializeStructVariant for Map {
    type Ok = JsValue;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Result<JsValue, Error> {
        ser::SerializeStruct::end(self)
    }
}
