//! Input errors that point at the place to fix.

use std::fmt;
use std::path::PathBuf;

/// One problem in an input file, with where it is and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// Stable code, e.g. `E-COUNT`, for scripts and documentation.
    pub code: &'static str,
    pub file: PathBuf,
    /// 1-based line in the file; `None` for whole-file problems.
    pub line: Option<usize>,
    /// 1-based column number and its header name, when one cell is at fault.
    pub column: Option<(usize, String)>,
    /// The offending text, if any.
    pub value: Option<String>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl InputError {
    pub fn file(code: &'static str, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        InputError { code, file: file.into(), line: None, column: None, value: None, message: message.into() }
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn at_column(mut self, number: usize, name: impl Into<String>) -> Self {
        self.column = Some((number, name.into()));
        self
    }

    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some((col, _)) = &self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": ")?;
        if let Some((_, name)) = &self.column {
            write!(f, "column '{name}': ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(value) = &self.value {
            write!(f, " (found {value:?})")?;
        }
        write!(f, " [{}]", self.code)
    }
}

/// All the problems found in one input, in file order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InputErrors(pub Vec<InputError>);

impl fmt::Display for InputErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for InputErrors {}

impl From<InputError> for InputErrors {
    fn from(e: InputError) -> Self {
        InputErrors(vec![e])
    }
}
