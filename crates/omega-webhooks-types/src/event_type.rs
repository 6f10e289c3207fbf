//! [`EventType`]: what happened to a video.

use crate::open_enum::open_enum;

open_enum! {
    /// The type of a webhook event, e.g. `video.process_succeeded`.
    ///
    /// The provider announces new types over time: a value this SDK does not know parses as
    /// [`EventType::Unknown`] and keeps its raw string.
    EventType {
        /// `video.uploaded`: the video's file was uploaded.
        VideoUploaded = "video.uploaded",
        /// `video.ready_for_processing`: the upload is queued for processing.
        VideoReadyForProcessing = "video.ready_for_processing",
        /// `video.in_progress`: processing started.
        VideoInProgress = "video.in_progress",
        /// `video.completed_processing`: processing finished.
        VideoCompletedProcessing = "video.completed_processing",
        /// `video.process_failed`: processing failed; the reason is in the video's `meta.failure`.
        VideoProcessFailed = "video.process_failed",
        /// `video.process_succeeded`: processing succeeded.
        VideoProcessSucceeded = "video.process_succeeded",
        /// `video.ready_to_watch`: the video can be streamed.
        VideoReadyToWatch = "video.ready_to_watch",
        /// `video.deleted`: the video was deleted.
        VideoDeleted = "video.deleted",
        /// `video.failed_to_delete`: deleting the video failed.
        VideoFailedToDelete = "video.failed_to_delete",
        /// `video.deletion_reverted`: a deletion was undone.
        VideoDeletionReverted = "video.deletion_reverted",
    }
}
