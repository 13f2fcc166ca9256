//! The one error type of the command line; `main` prints it once.

use std::fmt;
use std::path::PathBuf;

use portcullis_engine::BuildError;

/// Why a command could not do its job (exit status 2).
#[derive(Debug)]
pub enum CliError {
    /// The command line is wrong.
    Usage(String),
    /// A file could not be read or written.
    Io {
        /// The file.
        path: PathBuf,
        /// The system's complaint.
        source: std::io::Error,
    },
    /// An input file has the wrong content.
    Input {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The rules did not build; every diagnostic is listed.
    Rules(BuildError),
}

impl CliError {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> CliError {
        CliError::Io { path: path.into(), source }
    }

    /// A content error in `path`.
    pub fn input(path: impl Into<PathBuf>, message: impl Into<String>) -> CliError {
        CliError::Input { path: path.into(), message: message.into() }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(m) => write!(f, "{m}"),
            CliError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            CliError::Input { path, message } => write!(f, "{}: {message}", path.display()),
            CliError::Rules(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for CliError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CliError::Io { source, .. } => Some(source),
            CliError::Rules(e) => Some(e),
            _ => None,
        }
    }
}
