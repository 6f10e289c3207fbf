//! [`Video`] and the objects inside it: [`Playback`], [`VideoInput`], [`Storage`],
//! [`StorageSource`].

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

use crate::{
    extra_fields::deserialize_with_extra,
    safe_int::{OptionalUnsigned, Unsigned, U32},
    Extra, Timestamp, VideoStatus,
};

/// A video on the Omega Stream platform, as carried in an event's `data`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Video {
    /// Video document id.
    pub id: String,
    /// When the video was created (RFC 3339).
    pub created_at: Timestamp,
    /// When the video was last updated (RFC 3339).
    pub updated_at: Timestamp,
    /// When the video was deleted, or null.
    #[serde(default)]
    pub deleted_at: Option<Timestamp>,
    /// Video title.
    pub title: String,
    /// The video's UUID (used in its storage paths).
    pub uuid: String,
    /// The owning company's Omega id (`omega-cop-…`).
    pub coid: String,
    /// Processing status.
    pub status: VideoStatus,
    /// Privacy setting, e.g. `private`; absent in older payloads.
    #[serde(default)]
    pub privacy: Option<String>,
    /// Storage entity tag (etag) of the processed file, or null.
    #[serde(default)]
    pub entity_tag: Option<String>,
    /// Storage locations of the processed renditions, or null.
    #[serde(default)]
    pub playback: Option<Playback>,
    /// Signed `https://` stream URLs of the renditions; absent in older payloads.
    #[serde(default)]
    pub playback_v2: Option<Playback>,
    /// Dimensions of the uploaded file, or null.
    #[serde(default)]
    pub input: Option<VideoInput>,
    /// Duration in seconds, or null.
    #[serde(default)]
    #[schemars(range(min = 0, max = crate::MAX_SAFE_INTEGER))]
    pub duration: Option<u64>,
    /// File size in bytes (may exceed 2^32), or null.
    #[serde(default)]
    #[schemars(range(min = 0, max = crate::MAX_SAFE_INTEGER))]
    pub size: Option<u64>,
    /// Whether the video can be streamed (the provider's field table calls it `ready_to_watch`;
    /// every payload says `ready_to_stream`).
    pub ready_to_stream: bool,
    /// Storage location of the thumbnail image, or null.
    #[serde(default)]
    pub thumbnail: Option<String>,
    /// Position of the thumbnail frame as a percentage of the duration, or null.
    #[serde(default)]
    pub thumbnail_timestamp_pct: Option<f64>,
    /// Storage buckets of the video, or null.
    #[serde(default)]
    pub storage: Option<Storage>,
    /// Free-form string metadata, e.g. `downloaded_from`; when `status` is `process-failed`,
    /// the reason is in `failure`.
    #[serde(default)]
    pub meta: BTreeMap<String, String>,
    /// Collection the video belongs to; absent in most payloads.
    #[serde(default)]
    pub collection_id: Option<String>,
    /// Fields this version of the SDK does not know, kept and written back out.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Where each rendition of a processed video is stored or streamed from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct Playback {
    /// HLS playlist (`.m3u8`), or null.
    #[serde(default)]
    pub hls: Option<String>,
    /// DASH manifest, or null.
    #[serde(default)]
    pub dash: Option<String>,
    /// Audio-only rendition; newer payloads only.
    #[serde(default)]
    pub audio: Option<String>,
    /// 1080p rendition; newer payloads only.
    #[serde(default)]
    pub r_1080p: Option<String>,
    /// 720p rendition; newer payloads only.
    #[serde(default)]
    pub r_720p: Option<String>,
    /// 480p rendition; newer payloads only.
    #[serde(default)]
    pub r_480p: Option<String>,
    /// 360p rendition; newer payloads only.
    #[serde(default)]
    pub r_360p: Option<String>,
    /// 240p rendition; newer payloads only.
    #[serde(default)]
    pub r_240p: Option<String>,
    /// Fields this version of the SDK does not know, kept and written back out.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Dimensions of the uploaded source file.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct VideoInput {
    /// Width in pixels.
    #[schemars(range(min = 0, max = 4_294_967_295_u32))]
    pub width: u32,
    /// Height in pixels.
    #[schemars(range(min = 0, max = 4_294_967_295_u32))]
    pub height: u32,
    /// Fields this version of the SDK does not know, kept and written back out.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The storage buckets that hold a video's raw and processed files.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Storage {
    /// Bucket of the processed renditions.
    pub bucket: String,
    /// Bucket of the raw upload.
    pub raw_bucket: String,
    /// Storage provider name; absent in older payloads.
    #[serde(default)]
    pub provider: Option<String>,
    /// The uploaded source object; absent in older payloads.
    #[serde(default)]
    pub source: Option<StorageSource>,
    /// Free-form string metadata of the storage, or null.
    #[serde(default)]
    pub meta: Option<BTreeMap<String, String>>,
    /// Fields this version of the SDK does not know, kept and written back out.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The uploaded source object of a video in its raw bucket.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct StorageSource {
    /// Object key in the raw bucket.
    pub key: String,
    /// Object size in bytes.
    #[schemars(range(min = 0, max = crate::MAX_SAFE_INTEGER))]
    pub size: u64,
    /// Fields this version of the SDK does not know, kept and written back out.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_with_extra! {
    Video {
        id: required "id",
        created_at: required "created_at",
        updated_at: required "updated_at",
        deleted_at: optional "deleted_at",
        title: required "title",
        uuid: required "uuid",
        coid: required "coid",
        status: required "status",
        privacy: optional "privacy",
        entity_tag: optional "entity_tag",
        playback: optional "playback",
        playback_v2: optional "playback_v2",
        input: optional "input",
        duration: optional "duration" via OptionalUnsigned,
        size: optional "size" via OptionalUnsigned,
        ready_to_stream: required "ready_to_stream",
        thumbnail: optional "thumbnail",
        thumbnail_timestamp_pct: optional "thumbnail_timestamp_pct",
        storage: optional "storage",
        meta: optional "meta",
        collection_id: optional "collection_id",
    }
}

deserialize_with_extra! {
    Playback {
        hls: optional "hls",
        dash: optional "dash",
        audio: optional "audio",
        r_1080p: optional "r_1080p",
        r_720p: optional "r_720p",
        r_480p: optional "r_480p",
        r_360p: optional "r_360p",
        r_240p: optional "r_240p",
    }
}

deserialize_with_extra! {
    VideoInput {
        width: required "width" via U32,
        height: required "height" via U32,
    }
}

deserialize_with_extra! {
    Storage {
        bucket: required "bucket",
        raw_bucket: required "raw_bucket",
        provider: optional "provider",
        source: optional "source",
        meta: optional "meta",
    }
}

deserialize_with_extra! {
    StorageSource {
        key: required "key",
        size: required "size" via Unsigned,
    }
}
