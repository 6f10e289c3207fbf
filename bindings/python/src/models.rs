//! The models as Python classes: frozen wrappers of the Rust models with a getter per wire
//! field (converted on access), `extra`, `to_dict()`, `to_json()`, `from_json()`, equality,
//! a readable `repr`, and pickling through `from_json`.

use std::{borrow::Cow, collections::BTreeMap};

use chrono::{DateTime, FixedOffset};
use omega_webhooks_client::types as model;
use pyo3::{
    prelude::*,
    types::{PyBytes, PyString, PyType},
};

use crate::{errors::to_py_err, json};

/// Reads `str` or `bytes` (or `bytearray`/`memoryview`) as bytes, borrowing `bytes` as is.
fn body_bytes<'a>(body: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, [u8]>> {
    readable_body(body)?.map_err(|e| to_py_err(e.into()))
}

/// The bytes of a body (`bytes`, `str`, or any buffer), or the [`model::ParseError`] of a
/// `str` that cannot be UTF-8 (a lone surrogate); anything else is a `TypeError`.
pub(crate) fn readable_body<'a>(
    body: &'a Bound<'_, PyAny>,
) -> PyResult<Result<Cow<'a, [u8]>, model::ParseError>> {
    if let Ok(bytes) = body.cast::<PyBytes>() {
        return Ok(Ok(Cow::Borrowed(bytes.as_bytes())));
    }
    if let Ok(text) = body.cast::<PyString>() {
        let Ok(text) = text.to_cow() else {
            return Ok(Err(model::ParseError::whole_body(
                "the body is not valid text: it holds a lone surrogate",
            )));
        };
        return Ok(Ok(match text {
            Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
            Cow::Owned(text) => Cow::Owned(text.into_bytes()),
        }));
    }
    body.extract::<Vec<u8>>()
        .map(|b| Ok(Cow::Owned(b)))
        .map_err(|_| {
            pyo3::exceptions::PyTypeError::new_err(format!(
                "expected str or bytes, not {}",
                body.get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            ))
        })
}

/// Decodes a model with the GIL released; a bad body raises `WebhookPayloadError`.
fn decode<T: serde::de::DeserializeOwned + Send>(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
) -> PyResult<T> {
    let bytes = body_bytes(body)?;
    let bytes: &[u8] = &bytes;
    py.detach(|| model::parse::<T>(bytes))
        .map_err(|e| to_py_err(e.into()))
}

/// `Name(field=value, ...)` from the scalar fields of the normalized JSON.
fn repr<T: serde::Serialize>(py: Python<'_>, name: &str, value: &T) -> PyResult<String> {
    let json = serde_json::to_value(value)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    let mut parts = Vec::new();
    if let serde_json::Value::Object(map) = json {
        for (key, value) in map {
            match value {
                serde_json::Value::String(s) => {
                    parts.push(format!("{key}={}", PyString::new(py, &s).repr()?))
                }
                serde_json::Value::Number(n) => parts.push(format!("{key}={n}")),
                serde_json::Value::Bool(b) => {
                    parts.push(format!("{key}={}", if b { "True" } else { "False" }))
                }
                _ => {}
            }
        }
    }
    Ok(format!("{name}({})", parts.join(", ")))
}

/// Defines a Python class wrapping a Rust model: `name: type = |value| expression` per getter.
macro_rules! model_class {
    (
        $(#[doc = $doc:literal])*
        $class:ident($rust:ty) {
            $( $(#[$attr:meta])* $field:ident: $ty:ty = |$v:ident, $py:ident| $body:expr; )*
        }
    ) => {
        $(#[doc = $doc])*
        #[pyclass(module = "omega_webhooks", frozen, eq)]
        #[derive(Clone, PartialEq)]
        pub(crate) struct $class(pub(crate) $rust);

        #[pymethods]
        impl $class {
            $(
                $(#[$attr])*
                #[getter]
                fn $field<'py>(&self, $py: Python<'py>) -> PyResult<$ty> {
                    let _ = $py;
                    let $v = &self.0;
                    Ok($body)
                }
            )*

            /// Fields this version of the SDK does not know, as a dict.
            #[getter]
            fn extra<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                json::to_py(py, &self.0.extra)
            }

            /// The normalized JSON as Python values (dicts, lists, str, int, float, bool, None).
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                json::to_py(py, &self.0)
            }

            /// The normalized JSON text: the same as the CLI's `--json` and Node's objects.
            fn to_json(&self) -> PyResult<String> {
                json::to_string(&self.0)
            }

            /// Parses this model from JSON (`str` or `bytes`); raises `WebhookPayloadError`.
            #[classmethod]
            fn from_json(_cls: &Bound<'_, PyType>, py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
                decode(py, data).map($class)
            }

            fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
                repr(py, stringify!($class), &self.0)
            }

            fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
                Ok((slf.get_type().getattr("from_json")?, (json::to_string(&slf.get().0)?,)))
            }
        }
    };
}

model_class! {
    /// A webhook event Omega Stream delivered (or tried to deliver) to an endpoint.
    Event(model::Event) {
        /// Event document id.
        id: String = |v, py| v.id.clone();
        /// When the event was created (aware datetime); the list call sends year 1.
        created_at: Option<DateTime<FixedOffset>> = |v, py| v.created_at.as_ref().map(model::Timestamp::to_datetime);
        /// The company's Omega id (`ocid` on the list call's wire).
        coid: String = |v, py| v.coid.clone();
        /// Omega API version used to render the event.
        api_version: String = |v, py| v.api_version.clone();
        /// Creation time in Unix seconds.
        created: i64 = |v, py| v.created;
        /// The event type, e.g. `video.process_succeeded` (compare with `EventType`).
        #[pyo3(name = "type")]
        event_type: String = |v, py| v.event_type.as_str().to_owned();
        /// Id of the webhook endpoint.
        endpoint_id: String = |v, py| v.endpoint_id.clone();
        /// The video the event is about; None in the list call.
        data: Option<EventData> = |v, py| v.data.clone().map(EventData);
        /// The endpoint's answer to the webhook POST; None in the list call.
        response: Option<EventResponse> = |v, py| v.response.as_deref().cloned().map(EventResponse);
        /// Whether the delivery succeeded: True for a 2xx answer, False for any other status,
        /// None without an answer (always so in the list call).
        delivered: Option<bool> = |v, py| match v.delivery() {
            model::Delivery::Delivered => Some(true),
            model::Delivery::Failed => Some(false),
            model::Delivery::Unknown => None,
        };
    }
}

model_class! {
    /// The data of an event: `{"video": ...}` (a bare video is normalized to this shape).
    EventData(model::EventData) {
        /// The video, or None when the data object is empty.
        video: Option<Video> = |v, py| v.video.as_deref().cloned().map(Video);
    }
}

model_class! {
    /// The customer endpoint's answer to the webhook POST request.
    EventResponse(model::EventResponse) {
        /// HTTP status code the endpoint answered with.
        status_code: u16 = |v, py| v.status_code;
        /// Status line, e.g. `200 OK`.
        status: String = |v, py| v.status.clone();
        /// Response body the endpoint sent.
        body: String = |v, py| v.body.clone();
        /// Omega's summary of the delivery.
        message: String = |v, py| v.message.clone();
    }
}

model_class! {
    /// A video on the Omega Stream platform.
    Video(model::Video) {
        /// Video document id.
        id: String = |v, py| v.id.clone();
        /// Creation time (aware datetime).
        created_at: DateTime<FixedOffset> = |v, py| v.created_at.to_datetime();
        /// Last update time (aware datetime).
        updated_at: DateTime<FixedOffset> = |v, py| v.updated_at.to_datetime();
        /// Deletion time, or None.
        deleted_at: Option<DateTime<FixedOffset>> = |v, py| v.deleted_at.as_ref().map(model::Timestamp::to_datetime);
        /// Title.
        title: String = |v, py| v.title.clone();
        /// UUID used in storage paths.
        uuid: String = |v, py| v.uuid.clone();
        /// The owning company's Omega id.
        coid: String = |v, py| v.coid.clone();
        /// Processing status, e.g. `process-completed` (compare with `VideoStatus`).
        status: String = |v, py| v.status.as_str().to_owned();
        /// Privacy setting, or None.
        privacy: Option<String> = |v, py| v.privacy.clone();
        /// Storage entity tag, or None.
        entity_tag: Option<String> = |v, py| v.entity_tag.clone();
        /// Rendition storage locations, or None.
        playback: Option<Playback> = |v, py| v.playback.clone().map(Playback);
        /// Signed stream URLs of the renditions, or None.
        playback_v2: Option<Playback> = |v, py| v.playback_v2.clone().map(Playback);
        /// Dimensions of the upload, or None.
        input: Option<VideoInput> = |v, py| v.input.clone().map(VideoInput);
        /// Duration in seconds, or None.
        duration: Option<u64> = |v, py| v.duration;
        /// Size in bytes, or None.
        size: Option<u64> = |v, py| v.size;
        /// Whether the video can be streamed.
        ready_to_stream: bool = |v, py| v.ready_to_stream;
        /// Thumbnail location, or None.
        thumbnail: Option<String> = |v, py| v.thumbnail.clone();
        /// Thumbnail position in percent of the duration, or None.
        thumbnail_timestamp_pct: Option<f64> = |v, py| v.thumbnail_timestamp_pct;
        /// Storage buckets, or None.
        storage: Option<Storage> = |v, py| v.storage.clone().map(Storage);
        /// String metadata (`downloaded_from`, `failure`, ...).
        meta: BTreeMap<String, String> = |v, py| v.meta.clone();
        /// Collection id, or None.
        collection_id: Option<String> = |v, py| v.collection_id.clone();
    }
}

model_class! {
    /// Where each rendition of a processed video is stored or streamed from.
    Playback(model::Playback) {
        /// HLS playlist, or None.
        hls: Option<String> = |v, py| v.hls.clone();
        /// DASH manifest, or None.
        dash: Option<String> = |v, py| v.dash.clone();
        /// Audio-only rendition, or None.
        audio: Option<String> = |v, py| v.audio.clone();
        /// 1080p rendition, or None.
        r_1080p: Option<String> = |v, py| v.r_1080p.clone();
        /// 720p rendition, or None.
        r_720p: Option<String> = |v, py| v.r_720p.clone();
        /// 480p rendition, or None.
        r_480p: Option<String> = |v, py| v.r_480p.clone();
        /// 360p rendition, or None.
        r_360p: Option<String> = |v, py| v.r_360p.clone();
        /// 240p rendition, or None.
        r_240p: Option<String> = |v, py| v.r_240p.clone();
    }
}

model_class! {
    /// Dimensions of the uploaded source file.
    VideoInput(model::VideoInput) {
        /// Width in pixels.
        width: u32 = |v, py| v.width;
        /// Height in pixels.
        height: u32 = |v, py| v.height;
    }
}

model_class! {
    /// The storage buckets of a video.
    Storage(model::Storage) {
        /// Bucket of the processed renditions.
        bucket: String = |v, py| v.bucket.clone();
        /// Bucket of the raw upload.
        raw_bucket: String = |v, py| v.raw_bucket.clone();
        /// Storage provider, or None.
        provider: Option<String> = |v, py| v.provider.clone();
        /// The uploaded source object, or None.
        source: Option<StorageSource> = |v, py| v.source.clone().map(StorageSource);
        /// String metadata, or None.
        meta: Option<BTreeMap<String, String>> = |v, py| v.meta.clone();
    }
}

model_class! {
    /// The uploaded source object of a video.
    StorageSource(model::StorageSource) {
        /// Object key in the raw bucket.
        key: String = |v, py| v.key.clone();
        /// Object size in bytes.
        size: u64 = |v, py| v.size;
    }
}

/// Parses an incoming webhook body (`str` or `bytes`) into an `Event`, with the GIL released;
/// raises `WebhookPayloadError` with the JSON path of the problem.
#[pyfunction]
pub(crate) fn parse_event(py: Python<'_>, body: &Bound<'_, PyAny>) -> PyResult<Event> {
    decode(py, body).map(Event)
}

/// Adds the model classes to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Event>()?;
    m.add_class::<EventData>()?;
    m.add_class::<EventResponse>()?;
    m.add_class::<Video>()?;
    m.add_class::<Playback>()?;
    m.add_class::<VideoInput>()?;
    m.add_class::<Storage>()?;
    m.add_class::<StorageSource>()?;
    Ok(())
}
