//! [`VideoStatus`]: where a video is in its processing life cycle.

use crate::open_enum::open_enum;

open_enum! {
    /// The processing status of a video, e.g. `process-completed`.
    ///
    /// A value this SDK does not know parses as [`VideoStatus::Unknown`] and keeps its raw
    /// string.
    VideoStatus {
        /// `ready-to-upload`: the video exists, its file is not uploaded yet.
        ReadyToUpload = "ready-to-upload",
        /// `uploaded`: the file is uploaded, processing has not started.
        Uploaded = "uploaded",
        /// `in-progress`: processing is running.
        InProgress = "in-progress",
        /// `process-failed`: processing failed; the reason is in `meta.failure`.
        ProcessFailed = "process-failed",
        /// `process-completed`: processing finished; the video can be streamed.
        ProcessCompleted = "process-completed",
    }
}
