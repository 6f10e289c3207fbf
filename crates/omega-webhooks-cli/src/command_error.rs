//! [`CommandError`]: how a command fails — one stderr line `error: <ErrorClass>: <message>`
//! and exit code 1 (API, network, decode, a finding) or 2 (usage, configuration).
//!
//! The class is one of the SDK's taxonomy, or one of the CLI's own: `UsageError` (exit 2: an
//! argument clap could not check, such as an unreadable file), `InternalError` (exit 1: a bug
//! of the SDK, never expected), and the findings of the delivery operations (exit 1):
//! `FailedDeliveries` (`events failures --check`), `FailureRateExceeded` (`events stats
//! --check-rate`), `ReplayFailed`, `UnreadableEvents`.

use std::process::ExitCode;

use omega_webhooks_client::{Error, ErrorKind};

/// A failed command.
pub(crate) struct CommandError {
    class: &'static str,
    message: String,
    code: u8,
}

impl CommandError {
    /// A usage problem (bad argument, unreadable file): exit code 2.
    pub(crate) fn usage(message: impl Into<String>) -> CommandError {
        CommandError {
            class: "UsageError",
            message: message.into(),
            code: 2,
        }
    }

    /// A command that ran but found a failure (`--check` finding failed deliveries, a
    /// receiver refusing a replay, details that could not be read): exit code 1. `class` names
    /// it (`FailedDeliveries`, `FailureRateExceeded`, `ReplayFailed`, `UnreadableEvents`).
    pub(crate) fn found(class: &'static str, message: impl Into<String>) -> CommandError {
        CommandError {
            class,
            message: message.into(),
            code: 1,
        }
    }

    /// A bug of the SDK (e.g. a model that does not serialize): exit code 1.
    pub(crate) fn internal(message: impl Into<String>) -> CommandError {
        CommandError {
            class: "InternalError",
            message: message.into(),
            code: 1,
        }
    }

    /// Prints the error line and gives the exit code.
    pub(crate) fn report(self) -> ExitCode {
        let message = self.message.replace(['\n', '\r'], " ");
        anstream::eprintln!(
            "{}error:{} {}: {message}",
            STYLE.render(),
            STYLE.render_reset(),
            self.class
        );
        ExitCode::from(self.code)
    }
}

const STYLE: anstyle::Style = anstyle::AnsiColor::Red.on_default().bold();

impl From<Error> for CommandError {
    fn from(error: Error) -> CommandError {
        let code = if error.kind() == ErrorKind::Configuration {
            2
        } else {
            1
        };
        CommandError {
            class: error.kind().class_name(),
            message: error.to_string(),
            code,
        }
    }
}
