//! `open_enum!`: a string enum whose unknown values are kept, not rejected.
//!
//! The provider adds event types and video statuses over time. A model that rejected an
//! unknown value would break every user on the day a new one ships, so each such enum has the
//! documented values as variants plus `Unknown(String)` holding the raw wire string.

/// Defines an open string enum: documented variants, an `Unknown(String)` catch-all, `as_str`,
/// `Display`, `FromStr`, serde as a plain string and a JSON Schema that lists the known values
/// but admits any string: `oneOf` a string `enum` and a string `not` in it — exclusive
/// branches, which code generators turn into a real enum with a string fallback (typify's
/// untagged enum, pydantic's `Union[Enum, str]`) where an `anyOf` became a struct of options.
macro_rules! open_enum {
    (
        $(#[doc = $doc:literal])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the SDK does not know yet, kept as received.
            Unknown(String),
        }

        impl $name {
            /// Every documented value, in documentation order.
            pub const KNOWN: &'static [$name] = &[ $( $name::$variant, )+ ];

            /// The wire string of this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Unknown(raw) => raw,
                }
            }

            /// Whether this value is one of the documented ones.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Unknown(_))
            }

            /// Reads a wire string; unknown strings become `Unknown`.
            pub fn from_wire(raw: &str) -> Self {
                match raw {
                    $( $wire => $name::$variant, )+
                    other => $name::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self::from_wire(s))
            }
        }

        /// Any string is a value (known or not), written back as it was read.
        impl $crate::normalize::Transcode for $name {
            fn transcode<'de, D: ::serde::Deserializer<'de>>(
                d: D,
                out: &mut Vec<u8>,
            ) -> Result<(), D::Error> {
                <String as $crate::normalize::Transcode>::transcode(d, out)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl ::serde::de::Visitor<'_> for Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("a string")
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        Ok($name::from_wire(v))
                    }
                }
                d.deserialize_str(Visitor)
            }
        }

        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                let doc = $crate::open_enum::first_paragraph(concat!($($doc, "\n"),*));
                ::schemars::json_schema!({
                    "title": stringify!($name),
                    "description": doc,
                    "oneOf": [
                        {
                            "description": "A documented value.",
                            "type": "string",
                            "enum": [ $( $wire, )+ ]
                        },
                        {
                            "description": "A value added by the provider after this schema was generated.",
                            "type": "string",
                            "not": { "enum": [ $( $wire, )+ ] }
                        }
                    ]
                })
            }
        }
    };
}

pub(crate) use open_enum;

/// The first paragraph of a doc comment, joined into one line, for a schema description.
pub(crate) fn first_paragraph(doc: &str) -> String {
    doc.lines()
        .map(str::trim)
        .skip_while(|line| line.is_empty())
        .take_while(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
