//! [`normalize_event`] and [`normalize_events`]: the normalized JSON of a body, written while
//! the body is read, without building the models.
//!
//! The output is, byte for byte, `serde_json::to_string` of what [`crate::parse_event`] /
//! [`crate::parse_events`] return; the rules stay in the models. The fast path only lays
//! values out: each field's value is read by its own type's `Deserialize` and written by its
//! own `Serialize` (or, for a string read without escapes, copied as it is, which is what
//! serde_json would write), fields in the order of the structs' declarations (the order
//! `Serialize` writes), a missing optional field as its type's `Default`. The fields come
//! from the same lists as the models' `Deserialize` (`deserialize_with_extra!`).
//!
//! A field the models do not know is read as the model reads it into `extra` (a JSON value)
//! and written after the others, as the model's `Serialize` writes `extra`. Whatever the fast
//! path does not handle — a bare video to wrap, unknown fields in `data`, a duplicate or
//! missing field, any invalid input — falls back to decoding the models and serializing
//! them, which also gives a refused body its [`ParseError`]. A test checks both paths agree on
//! every fixture and on the fuzz tests' mutations.

use std::{collections::BTreeMap, fmt, marker::PhantomData};

use serde::{
    de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor},
    Serialize,
};

use crate::{list_decoder::ListCodec, parse, Event, ParseError};

/// The normalized JSON of one event: `serde_json::to_string(&parse_event(bytes)?)`, faster.
pub fn normalize_event(bytes: &[u8]) -> Result<String, ParseError> {
    normalize::<Event>(bytes)
}

/// The normalized JSON of a list of events: `serde_json::to_string(&parse_events(bytes)?)`,
/// faster. A large list (from 1 MiB) is read in runs on several threads, as by
/// [`crate::parse_events`].
pub fn normalize_events(bytes: &[u8]) -> Result<String, ParseError> {
    NORMALIZED_EVENTS.decode(bytes)
}

/// A list body as normalized JSON: in runs of elements, or whole (with the error path).
pub(crate) static NORMALIZED_EVENTS: ListCodec<String> = ListCodec {
    run: normalize_run,
    join: join_lists,
    whole: normalize::<Vec<Event>>,
};

/// One run of events as a normalized list `[...]`. A run is text already: its list goes to
/// the fast path without another UTF-8 check.
fn normalize_run(run: &str) -> Option<String> {
    let list = format!("[{run}]");
    fast::<Vec<Event>>(&list).or_else(|| through_models::<Vec<Event>>(list.as_bytes()).ok())
}

/// The runs' lists (each `[...]` with at least one event) as one, joined with commas.
fn join_lists(runs: Vec<String>) -> String {
    let mut json = String::with_capacity(runs.iter().map(String::len).sum());
    for run in &runs {
        json.push(if json.is_empty() { '[' } else { ',' });
        json.push_str(&run[1..run.len() - 1]);
    }
    json.push(']');
    json
}

/// The fast path, and the models when it gives up.
fn normalize<T: Transcode + DeserializeOwned + Serialize>(
    bytes: &[u8],
) -> Result<String, ParseError> {
    match std::str::from_utf8(bytes).ok().and_then(fast::<T>) {
        Some(json) => Ok(json),
        None => through_models::<T>(bytes),
    }
}

/// The slow path: the models decoded, then serialized (or the decoding's error).
fn through_models<T: DeserializeOwned + Serialize>(bytes: &[u8]) -> Result<String, ParseError> {
    let model: T = parse(bytes)?;
    serde_json::to_string(&model)
        .map_err(|e| ParseError::whole_body(format!("cannot serialize the event: {e}")))
}

/// The fast path alone: the normalized JSON of `text` written while it is read, or `None`
/// where the models must decide.
fn fast<T: Transcode>(text: &str) -> Option<String> {
    let mut out = Vec::with_capacity(text.len() + text.len() / 16);
    let mut de = serde_json::Deserializer::from_str(text);
    Seed::<T>::new(&mut out)
        .deserialize(&mut de)
        .and_then(|()| de.end())
        .ok()?;
    String::from_utf8(out).ok()
}

/// A type whose normalized JSON can be written while it is read.
pub(crate) trait Transcode {
    /// Reads one value from `d` and appends its normalized JSON to `out`. An error means
    /// "not here": the caller falls back to the models.
    fn transcode<'de, D: Deserializer<'de>>(d: D, out: &mut Vec<u8>) -> Result<(), D::Error>;
}

/// [`Transcode`] as a `DeserializeSeed`, for map values and sequence elements.
pub(crate) struct Seed<'a, T>(&'a mut Vec<u8>, PhantomData<T>);

impl<'a, T> Seed<'a, T> {
    /// A seed that appends to `out`.
    pub(crate) fn new(out: &'a mut Vec<u8>) -> Self {
        Seed(out, PhantomData)
    }
}

impl<'de, T: Transcode> DeserializeSeed<'de> for Seed<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        T::transcode(d, self.0)
    }
}

/// Ends a bracketed run written with a comma before each item (from `opening`): the first
/// comma becomes `open` (or `open` is written when there is no item), then `close` is added.
pub(crate) fn enclose(out: &mut Vec<u8>, opening: usize, open: u8, close: u8) {
    if out.len() == opening {
        out.push(open);
    } else {
        out[opening] = open;
    }
    out.push(close);
}

/// Appends the JSON of `value` (serde_json's writing, as the models' serialization does).
pub(crate) fn write<T: Serialize + ?Sized, E: de::Error>(
    out: &mut Vec<u8>,
    value: &T,
) -> Result<(), E> {
    serde_json::to_writer(out, value).map_err(E::custom)
}

/// Reads a value through its model type and writes it back: for the leaf types with nothing
/// to copy (`bool`, `f64`).
pub(crate) fn through_model<'de, T, D>(d: D, out: &mut Vec<u8>) -> Result<(), D::Error>
where
    T: serde::Deserialize<'de> + Serialize,
    D: Deserializer<'de>,
{
    let value = T::deserialize(d)?;
    write(out, &value)
}

/// [`Transcode`] through [`through_model`].
macro_rules! transcode_through_model {
    ($($ty:ty),+ $(,)?) => {
        $(impl Transcode for $ty {
            fn transcode<'de, D: Deserializer<'de>>(d: D, out: &mut Vec<u8>) -> Result<(), D::Error> {
                through_model::<$ty, D>(d, out)
            }
        })+
    };
}

transcode_through_model!(bool, f64);

/// A map of strings (`meta`) whose keys come sorted, as the model would write them; others
/// (unsorted, repeated keys) go to the model.
impl Transcode for BTreeMap<String, String> {
    fn transcode<'de, D: Deserializer<'de>>(d: D, out: &mut Vec<u8>) -> Result<(), D::Error> {
        struct Sorted<'a>(&'a mut Vec<u8>);
        impl<'de> Visitor<'de> for Sorted<'_> {
            type Value = ();
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of strings")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
                let out = self.0;
                let opening = out.len();
                let mut previous: Option<&'de str> = None;
                while let Some(key) = map.next_key::<&'de str>()? {
                    if previous.is_some_and(|previous| previous >= key) {
                        return Err(de::Error::custom("keys out of order"));
                    }
                    // A borrowed key holds no escapes: written as it is.
                    out.extend_from_slice(b",\"");
                    out.extend_from_slice(key.as_bytes());
                    out.extend_from_slice(b"\":");
                    map.next_value_seed(Seed::<String>::new(out))?;
                    previous = Some(key);
                }
                enclose(out, opening, b'{', b'}');
                Ok(())
            }
        }
        d.deserialize_map(Sorted(out))
    }
}

/// Writes a string that is written back as it was read, once `check` takes it. A string
/// read without escapes (borrowed from the input) holds no `"`, `\` or control character,
/// so serde_json would write it as it is; others are escaped.
fn transcode_str<'de, D: Deserializer<'de>>(
    d: D,
    out: &mut Vec<u8>,
    check: fn(&str) -> bool,
) -> Result<(), D::Error> {
    struct Text<'a>(&'a mut Vec<u8>, fn(&str) -> bool);
    impl<'de> Visitor<'de> for Text<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<(), E> {
            if !(self.1)(v) {
                return Err(E::custom("refused"));
            }
            self.0.push(b'"');
            self.0.extend_from_slice(v.as_bytes());
            self.0.push(b'"');
            Ok(())
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
            if !(self.1)(v) {
                return Err(E::custom("refused"));
            }
            write(self.0, v)
        }
    }
    d.deserialize_str(Text(out, check))
}

impl Transcode for String {
    fn transcode<'de, D: Deserializer<'de>>(d: D, out: &mut Vec<u8>) -> Result<(), D::Error> {
        transcode_str(d, out, |_| true)
    }
}

/// A timestamp is written back as it was read, once it parses.
impl Transcode for crate::Timestamp {
    fn transcode<'de, D: Deserializer<'de>>(d: D, out: &mut Vec<u8>) -> Result<(), D::Error> {
        transcode_str(d, out, |raw| crate::Timestamp::check(raw).is_ok())
    }
}

impl<T: Transcode> Transcode for Option<T> {
    fn transcode<'de, D: Deserializer<'de>>(d: D, out: &mut Vec<u8>) -> Result<(), D::Error> {
        /// `null`, or the value.
        struct Nullable<'a, T>(&'a mut Vec<u8>, PhantomData<T>);
        impl<'de, T: Transcode> Visitor<'de> for Nullable<'_, T> {
            type Value = ();
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value or null")
            }
            fn visit_none<E: de::Error>(self) -> Result<(), E> {
                self.0.extend_from_slice(b"null");
                Ok(())
            }
            fn visit_unit<E: de::Error>(self) -> Result<(), E> {
                self.visit_none()
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
                T::transcode(d, self.0)
            }
        }
        d.deserialize_option(Nullable::<T>(out, PhantomData))
    }
}

impl<T: Transcode> Transcode for Box<T> {
    fn transcode<'de, D: Deserializer<'de>>(d: D, out: &mut Vec<u8>) -> Result<(), D::Error> {
        T::transcode(d, out)
    }
}

impl<T: Transcode> Transcode for Vec<T> {
    fn transcode<'de, D: Deserializer<'de>>(d: D, out: &mut Vec<u8>) -> Result<(), D::Error> {
        /// `[`, the elements separated by `,`, `]`.
        struct List<'a, T>(&'a mut Vec<u8>, PhantomData<T>);
        impl<'de, T: Transcode> Visitor<'de> for List<'_, T> {
            type Value = ();
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a sequence")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
                let out = self.0;
                let opening = out.len();
                loop {
                    out.push(b',');
                    if seq.next_element_seed(Seed::<T>::new(out))?.is_none() {
                        out.pop();
                        break;
                    }
                }
                enclose(out, opening, b'[', b']');
                Ok(())
            }
        }
        d.deserialize_seq(List::<T>(out, PhantomData))
    }
}

/// `data`: the fast path takes `{}` and `{"video": ...}` (the details call's shape); a bare
/// video or other fields go to the model.
impl Transcode for crate::EventData {
    fn transcode<'de, D: Deserializer<'de>>(d: D, out: &mut Vec<u8>) -> Result<(), D::Error> {
        struct Data<'a>(&'a mut Vec<u8>);
        impl<'de> Visitor<'de> for Data<'_> {
            type Value = ();
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an event data object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
                let out = self.0;
                match map.next_key::<&str>()? {
                    None => out.extend_from_slice(b"{}"),
                    Some("video") => {
                        out.extend_from_slice(b"{\"video\":");
                        map.next_value_seed(Seed::<crate::Video>::new(out))?;
                        out.push(b'}');
                        if map.next_key::<&str>()?.is_some() {
                            return Err(de::Error::custom("more than a video"));
                        }
                    }
                    Some(_) => return Err(de::Error::custom("not the wrapped shape")),
                }
                Ok(())
            }
        }
        d.deserialize_map(Data(out))
    }
}

/// Appends the entries of `extra`, each after a comma, as a flattened map's `Serialize`
/// writes them (in the map's order).
pub(crate) fn write_entries<E: de::Error>(
    extra: &crate::Extra,
    out: &mut Vec<u8>,
) -> Result<(), E> {
    for (key, value) in extra {
        out.push(b',');
        write(out, key)?;
        out.push(b':');
        write(out, value)?;
    }
    Ok(())
}

/// Appends the JSON of the `Default` of the field that `_field` reads (a missing optional
/// field is its type's default in the model).
pub(crate) fn write_default<M, T: Default + Serialize, E: de::Error>(
    _field: fn(&M) -> &T,
    out: &mut Vec<u8>,
) -> Result<(), E> {
    write(out, &T::default())
}

/// Transcodes the value of the field that `_field` reads, by that field's type.
pub(crate) fn transcode_field<'de, M, T: Transcode, A: MapAccess<'de>>(
    _field: fn(&M) -> &T,
    map: &mut A,
    out: &mut Vec<u8>,
) -> Result<(), A::Error> {
    map.next_value_seed(Seed::<T>::new(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_stay_on_the_fast_path_and_come_out_as_the_models_write_them() {
        let video = r#"{"id":"v","created_at":"2023-11-14T22:13:20Z","updated_at":"2023-11-14T22:13:20Z","title":"t","uuid":"u","coid":"c","status":"ready","ready_to_stream":true,"zeta":{"b":1.50,"a":[1e2,"\u0041"]},"alpha":null}"#;
        let bodies = [
            r#"{"id":"e","ocid":"c","api_version":"v1","created":1,"type":"x","endpoint_id":"p","new":1}"#.to_owned(),
            r#"{"z":"\n","id":"e","coid":"c","api_version":"v1","created":1,"type":"x","endpoint_id":"p","a":-0.0,"z":true,"m":{"\u00e9":"é"}}"#.to_owned(),
            format!(r#"{{"id":"e","coid":"c","api_version":"v1","created":1,"type":"video.ready","endpoint_id":"p","data":{{"video":{video}}},"response":{{"status_code":500,"status":"500","body":"","message":"m","retry_in":30}}}}"#),
        ];
        for body in &bodies {
            let fast = fast::<Event>(body).expect("on the fast path");
            assert_eq!(Ok(fast), through_models::<Event>(body.as_bytes()), "{body}");
        }
        let list = format!("[{}]", bodies.join(","));
        let fast = fast::<Vec<Event>>(&list).expect("on the fast path");
        assert_eq!(Ok(fast), through_models::<Vec<Event>>(list.as_bytes()));
    }

    #[test]
    fn bodies_off_the_fast_path_come_out_as_the_models_write_them() {
        let bodies: [&[u8]; 8] = [
            br#"{"id":"e","ocid":"c","api_version":"v1","created":1,"type":"x","endpoint_id":"p","new":1}"#,
            br#"{"id":"e","coid":"c","api_version":"v1","created":1,"type":"x","endpoint_id":"p","data":{"id":"v","created_at":"2023-11-14T22:13:20Z","updated_at":"2023-11-14T22:13:20Z","title":"t","uuid":"u","coid":"c","status":"ready","ready_to_stream":true}}"#,
            br#"{"id":"e\u0041","coid":"c","api_version":"v1","created":1.0,"type":"video.ready","endpoint_id":"p","data":{}}"#,
            br#"[{"id":"e","coid":"c","api_version":"v1","created":1,"type":"x","endpoint_id":"p"},{"id":"f","coid":"c","api_version":"v1","created":2,"type":"x","endpoint_id":"p","data":null}]"#,
            br#"[]"#,
            br#"{"id":"e","coid":"c","api_version":"v1","created":1,"type":"x","endpoint_id":"p","data":{"video":{"id":"v","created_at":"2023-11-14T22:13:20Z","updated_at":"2023-11-14T22:13:20Z","title":"t","uuid":"u","coid":"c","status":"ready","ready_to_stream":true,"meta":{"b":"2","a":"1","b":"3"}}}}"#,
            br#"{"id":"e","coid":"c","api_version":"v1","created":1,"type":"x","endpoint_id":"p","data":{"video":{"id":"v","created_at":"2023-11-14T22:13:20Z","updated_at":"2023-11-14T22:13:20Z","title":"t","uuid":"u","coid":"c","status":"ready","ready_to_stream":true,"meta":{"a":"1","b\u0041":"x\n","c":"3"}}}}"#,
            br#"{"id":"e","coid":"c","api_version":"v1","created":1,"type":"x","endpoint_id":"p","data":{"video":{"id":"v","created_at":"2023-11-14T22:13:20Z","updated_at":"2023-11-14T22:13:20Z","title":"t","uuid":"u","coid":"c","status":"ready","ready_to_stream":true,"meta":{}}}}"#,
        ];
        for body in bodies {
            let text = String::from_utf8_lossy(body);
            if body[0] == b'[' {
                let models = crate::parse_events(body).expect("a list");
                let expected = serde_json::to_string(&models).expect("json");
                assert_eq!(normalize_events(body).expect("a list"), expected, "{text}");
            } else {
                let model = crate::parse_event(body).expect("an event");
                let expected = serde_json::to_string(&model).expect("json");
                assert_eq!(normalize_event(body).expect("an event"), expected, "{text}");
            }
        }
    }

    #[test]
    fn refused_bodies_get_the_models_errors() {
        let bodies: [&[u8]; 5] = [
            b"",
            br#"{"id":"e","coid":"c","api_version":"v1","created":1,"type":"x","endpoint_id":"p","data":{"video":null}}"#,
            br#"{"id":"e","id":"f"}"#,
            br#"{"id":"e","coid":"c","ocid":"c","api_version":"v1","created":1,"type":"x","endpoint_id":"p"}"#,
            br#"[{"id":"e","coid":"c","api_version":"v1","created":1e300,"type":"x","endpoint_id":"p"}]"#,
        ];
        for body in bodies {
            let text = String::from_utf8_lossy(body);
            if body.first() == Some(&b'[') {
                let expected = crate::parse_events(body).expect_err("refused");
                assert_eq!(
                    normalize_events(body).expect_err("refused"),
                    expected,
                    "{text}"
                );
            } else {
                let expected = crate::parse_event(body).expect_err("refused");
                assert_eq!(
                    normalize_event(body).expect_err("refused"),
                    expected,
                    "{text}"
                );
            }
        }
    }
}
