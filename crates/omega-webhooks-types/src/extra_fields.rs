//! `deserialize_with_extra!`: `Deserialize` for a model that keeps its unknown fields in
//! `extra`, and its [`crate::normalize`] fast path from the same field list.
//!
//! serde's `#[serde(flatten)]` does the same, but first buffers every field of the object into
//! an intermediate tree and then decodes the struct from it — a tenth of the time of reading a
//! list. The visitor written here matches each key once: a known field is decoded in place (so
//! error paths stay exact), any other key goes straight into `extra`. The structs keep
//! `#[serde(flatten)]` and `#[serde(default)]` for `Serialize` and `JsonSchema`; a test checks
//! that the schemas and these field lists name the same fields and the same required ones.

/// Implements `Deserialize` for `$name` from its field list: each entry is the field, whether
/// it is `required` or `optional` (missing means its `Default`), its wire name and aliases,
/// and optionally `via` a newtype whose `Deserialize` checks the value (see `safe_int`). Any
/// other key goes to the field `extra`. Errors read as serde's derive writes them.
macro_rules! deserialize_with_extra {
    (
        $name:ident {
            $( $field:ident: $presence:ident $wire:literal $(| $alias:literal)* $(via $wrapper:path)?, )+
        }
    ) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                use ::serde::de::{Error, MapAccess, Visitor};

                /// A key of the object: one of the fields, or an unknown name.
                #[allow(non_camel_case_types, reason = "one variant per field, named as the field")]
                enum Key {
                    $( $field, )+
                    Other(String),
                }

                impl<'de> ::serde::Deserialize<'de> for Key {
                    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
                        struct KeyVisitor;
                        impl Visitor<'_> for KeyVisitor {
                            type Value = Key;
                            fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                                f.write_str("a field name")
                            }
                            fn visit_str<E: Error>(self, key: &str) -> Result<Key, E> {
                                Ok(match key {
                                    $( $wire $(| $alias)* => Key::$field, )+
                                    other => Key::Other(other.to_owned()),
                                })
                            }
                        }
                        d.deserialize_identifier(KeyVisitor)
                    }
                }

                struct ModelVisitor;
                impl<'de> Visitor<'de> for ModelVisitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        $( let mut $field = None; )+
                        let mut extra = $crate::Extra::new();
                        // `loop`/`match` rather than `while let Some(key)`: a binding may
                        // not share a name with a variant, and the variants are field names.
                        loop {
                            match map.next_key::<Key>()? {
                                None => break,
                                $( Some(Key::$field) => {
                                    if $field.is_some() {
                                        return Err(A::Error::duplicate_field($wire));
                                    }
                                    $field = Some($crate::extra_fields::deserialize_with_extra!(
                                        @value map $($wrapper)?
                                    ));
                                } )+
                                Some(Key::Other(unknown_key)) => {
                                    extra.insert(unknown_key, map.next_value()?);
                                }
                            }
                        }
                        Ok($name {
                            $( $field: $crate::extra_fields::deserialize_with_extra!(
                                @finish $presence $field $wire
                            ), )+
                            extra,
                        })
                    }
                }

                d.deserialize_map(ModelVisitor)
            }
        }

        impl $crate::normalize::Transcode for $name {
            fn transcode<'de, D: ::serde::Deserializer<'de>>(
                d: D,
                out: &mut Vec<u8>,
            ) -> Result<(), D::Error> {
                use ::serde::de::{Error, MapAccess, Visitor};

                /// Reads the fields in the wire's order, each value transcoded to the end of
                /// `out`, then writes the object in the model's order after them and moves it
                /// over them (no buffer of its own). Unknown fields are read into an `Extra`
                /// as the model reads them and written after the others, as its `Serialize`
                /// writes them; duplicate and missing required fields are left to the model
                /// (an error here).
                struct Fields<'a>(&'a mut Vec<u8>);
                impl<'de> Visitor<'de> for Fields<'_> {
                    type Value = ();
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
                        let out = self.0;
                        let base = out.len();
                        $( let mut $field: Option<(usize, usize)> = None; )+
                        let mut extra = $crate::Extra::new();
                        while let Some(wire_key) = map.next_key::<&str>()? {
                            match wire_key {
                                $( $wire $(| $alias)* => {
                                    if $field.is_some() {
                                        return Err(A::Error::custom("duplicate field"));
                                    }
                                    let start = out.len();
                                    $crate::extra_fields::deserialize_with_extra!(
                                        @transcode $name $field map out $($wrapper)?
                                    );
                                    $field = Some((start, out.len()));
                                } )+
                                unknown => {
                                    extra.insert(unknown.to_owned(), map.next_value()?);
                                }
                            }
                        }
                        // Every field is written (a missing one as its default): a comma
                        // before each, the first one turned into the opening brace.
                        let opening = out.len();
                        $(
                            out.extend_from_slice(concat!(",\"", $wire, "\":").as_bytes());
                            match $field {
                                Some((start, end)) => out.extend_from_within(start..end),
                                None => $crate::extra_fields::deserialize_with_extra!(
                                    @default $presence $name $field out
                                ),
                            }
                        )+
                        $crate::normalize::write_entries::<A::Error>(&extra, out)?;
                        $crate::normalize::enclose(out, opening, b'{', b'}');
                        out.copy_within(opening.., base);
                        out.truncate(out.len() - (opening - base));
                        Ok(())
                    }
                }
                d.deserialize_map(Fields(out))
            }
        }

        impl $name {
            /// The fields as the wire names them, in the order the model writes them: what
            /// its `Deserialize` reads (codegen writes Node's fast path from this list).
            pub const WIRE_FIELDS: &'static [$crate::WireField] = &[
                $( $crate::WireField {
                    name: $wire,
                    aliases: &[$($alias),*],
                    required: $crate::extra_fields::deserialize_with_extra!(@required $presence),
                }, )+
            ];
        }
    };
    (@value $map:ident) => {
        $map.next_value()?
    };
    (@value $map:ident $wrapper:path) => {
        $map.next_value::<$wrapper>()?.0
    };
    (@transcode $name:ident $field:ident $map:ident $out:ident) => {
        $crate::normalize::transcode_field(|m: &$name| &m.$field, &mut $map, $out)?
    };
    (@transcode $name:ident $field:ident $map:ident $out:ident $wrapper:path) => {
        $crate::normalize::write::<_, A::Error>($out, &$map.next_value::<$wrapper>()?.0)?
    };
    (@default required $name:ident $field:ident $out:ident) => {
        return Err(A::Error::custom("missing field"))
    };
    (@default optional $name:ident $field:ident $out:ident) => {
        $crate::normalize::write_default::<_, _, A::Error>(|m: &$name| &m.$field, $out)?
    };
    (@finish required $field:ident $wire:literal) => {
        $field.ok_or_else(|| A::Error::missing_field($wire))?
    };
    (@finish optional $field:ident $wire:literal) => {
        $field.unwrap_or_default()
    };
    (@required required) => {
        true
    };
    (@required optional) => {
        false
    };
}

pub(crate) use deserialize_with_extra;

/// One field of a model as the wire names it (see each model's `WIRE_FIELDS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WireField {
    /// The key the model reads and writes, e.g. `coid`.
    pub name: &'static str,
    /// Other keys read as this field, e.g. `ocid` (the list call's spelling of `coid`).
    pub aliases: &'static [&'static str],
    /// Whether the field must be present (else a missing field is its type's default).
    pub required: bool,
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use schemars::{generate::SchemaSettings, JsonSchema};
    use serde_json::Value;

    use super::WireField;
    use crate::{Event, EventResponse, Playback, Storage, StorageSource, Video, VideoInput};

    /// The field lists of `deserialize_with_extra!` and the structs' serde attributes (which
    /// the schemas come from) must agree: same fields, same required ones.
    fn agrees<T: JsonSchema>(fields: &[WireField]) {
        let schema = SchemaSettings::draft2020_12()
            .into_generator()
            .into_root_schema_for::<T>();
        let names = |value: Option<&Value>, f: fn(&Value) -> Vec<String>| -> BTreeSet<String> {
            value.map(f).unwrap_or_default().into_iter().collect()
        };
        let properties = names(schema.get("properties"), |p| {
            p.as_object()
                .into_iter()
                .flat_map(|o| o.keys().cloned())
                .collect()
        });
        let required = names(schema.get("required"), |r| {
            r.as_array()
                .into_iter()
                .flatten()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect()
        });
        let listed = fields.iter().map(|field| field.name.to_owned()).collect();
        let listed_required = fields
            .iter()
            .filter(|field| field.required)
            .map(|field| field.name.to_owned())
            .collect();
        let model = T::schema_name();
        assert_eq!(properties, listed, "{model}: fields");
        assert_eq!(required, listed_required, "{model}: required fields");
    }

    #[test]
    fn field_lists_agree_with_the_schemas() {
        agrees::<Event>(Event::WIRE_FIELDS);
        agrees::<EventResponse>(EventResponse::WIRE_FIELDS);
        agrees::<Video>(Video::WIRE_FIELDS);
        agrees::<Playback>(Playback::WIRE_FIELDS);
        agrees::<VideoInput>(VideoInput::WIRE_FIELDS);
        agrees::<Storage>(Storage::WIRE_FIELDS);
        agrees::<StorageSource>(StorageSource::WIRE_FIELDS);
    }
}
