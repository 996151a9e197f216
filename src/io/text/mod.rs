//! Text tables: `loadtxt`, `genfromtxt` and `savetxt`, as NumPy's.

mod printf;
mod read;
mod write;

pub use read::{genfromtxt, loadtxt, parse_text};
pub use write::{savetxt, SaveTxt};

use ndjit_ir::DType;

/// How [`loadtxt`] and [`genfromtxt`] read a table (NumPy's keyword
/// arguments of the same names). Build it with [`TextOptions::new`] and
/// the setters.
///
/// ```
/// use ndjit::io::TextOptions;
/// let options = TextOptions::new().delimiter(",").skiprows(1).usecols(&[0, -1]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TextOptions {
    /// The string between fields; `None` (the default) splits on runs of
    /// whitespace.
    pub delimiter: Option<String>,
    /// Text from this marker to the end of a line is ignored (`#`).
    pub comments: String,
    /// Lines skipped at the start, counted before comments and blank lines
    /// are removed (`skiprows`, genfromtxt's `skip_header`).
    pub skiprows: usize,
    /// The columns kept, in this order; negative indices count from the
    /// end. `None` keeps every column.
    pub usecols: Option<Vec<isize>>,
    /// Element type of the result (`f64`).
    pub dtype: DType,
    /// Minimum number of axes of the result, 0, 1 or 2: axes of length one
    /// are squeezed away down to it, as NumPy does.
    pub ndmin: usize,
    /// Read at most this many data rows.
    pub max_rows: Option<usize>,
    /// Fields that [`genfromtxt`] treats as missing besides empty ones
    /// (`missing_values`, e.g. `"NA"`).
    pub missing_values: Vec<String>,
    /// What [`genfromtxt`] puts in place of a missing value; `None` uses
    /// NumPy's defaults: NaN for floats, -1 for integers, `false` for bool.
    pub filling_value: Option<f64>,
}

impl Default for TextOptions {
    fn default() -> TextOptions {
        TextOptions {
            delimiter: None,
            comments: "#".into(),
            skiprows: 0,
            usecols: None,
            dtype: DType::F64,
            ndmin: 0,
            max_rows: None,
            missing_values: Vec::new(),
            filling_value: None,
        }
    }
}

impl TextOptions {
    /// NumPy's defaults: whitespace-separated `f64` values, `#` comments.
    pub fn new() -> TextOptions {
        TextOptions::default()
    }

    /// Fields are separated by `delimiter` (`","` for CSV).
    pub fn delimiter(mut self, delimiter: &str) -> TextOptions {
        self.delimiter = Some(delimiter.into());
        self
    }

    /// Comments start with `marker`.
    pub fn comments(mut self, marker: &str) -> TextOptions {
        self.comments = marker.into();
        self
    }

    /// Skip the first `rows` lines.
    pub fn skiprows(mut self, rows: usize) -> TextOptions {
        self.skiprows = rows;
        self
    }

    /// Keep only these columns (negative counts from the end).
    pub fn usecols(mut self, columns: &[isize]) -> TextOptions {
        self.usecols = Some(columns.to_vec());
        self
    }

    /// Read values as `dtype`.
    pub fn dtype(mut self, dtype: DType) -> TextOptions {
        self.dtype = dtype;
        self
    }

    /// Keep at least `ndmin` axes (0, 1 or 2).
    pub fn ndmin(mut self, ndmin: usize) -> TextOptions {
        self.ndmin = ndmin;
        self
    }

    /// Read at most `rows` data rows.
    pub fn max_rows(mut self, rows: usize) -> TextOptions {
        self.max_rows = Some(rows);
        self
    }

    /// Also treat these fields as missing ([`genfromtxt`]).
    pub fn missing_values(mut self, values: &[&str]) -> TextOptions {
        self.missing_values = values.iter().map(|v| v.to_string()).collect();
        self
    }

    /// Put `value` in place of missing fields ([`genfromtxt`]).
    pub fn filling_value(mut self, value: f64) -> TextOptions {
        self.filling_value = Some(value);
        self
    }
}
