//! Writing text tables: `savetxt`.

use super::printf::Format;
use crate::io::file_error;
use crate::{Array, Result};
use ndjit_ir::DType;
use std::io::{BufWriter, Write};
use std::path::Path;

/// How [`savetxt`] writes (NumPy's keyword arguments of the same names).
#[derive(Clone, Debug, PartialEq)]
pub struct SaveTxt {
    /// Python `%` format of each value (`%.18e`; `%.6f`, `%g`, `%d`, with
    /// flags, width and literal text around one conversion).
    pub fmt: String,
    /// Between the values of a row (`" "`).
    pub delimiter: String,
    /// After each row (`"\n"`).
    pub newline: String,
    /// Written first, each line prefixed with `comments` (nothing if empty).
    pub header: String,
    /// Written last, each line prefixed with `comments`.
    pub footer: String,
    /// Prefix of header and footer lines (`"# "`).
    pub comments: String,
}

impl Default for SaveTxt {
    fn default() -> SaveTxt {
        SaveTxt {
            fmt: "%.18e".into(),
            delimiter: " ".into(),
            newline: "\n".into(),
            header: String::new(),
            footer: String::new(),
            comments: "# ".into(),
        }
    }
}

/// Writes a 1-d or 2-d array as text, as `np.savetxt`: one row per line
/// (a 1-d array as one column), each value formatted by `options.fmt`.
///
/// ```
/// use ndjit::io::{self, SaveTxt};
/// use ndjit::Array;
/// let path = std::env::temp_dir().join("ndjit_doc_savetxt.csv");
/// let options = SaveTxt { fmt: "%.2f".into(), delimiter: ",".into(), ..SaveTxt::default() };
/// io::savetxt(&path, &Array::from_vec(vec![1.0, 2.5, -3.0, 4.0], [2, 2]), &options)?;
/// assert_eq!(std::fs::read_to_string(&path)?, "1.00,2.50\n-3.00,4.00\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn savetxt(path: impl AsRef<Path>, array: &Array, options: &SaveTxt) -> Result<()> {
    let path = path.as_ref();
    let format = Format::parse(&options.fmt).map_err(|e| file_error(path, e))?;
    let (rows, columns) = match *array.shape() {
        [n] => (n, 1),
        [rows, columns] => (rows, columns),
        ref other => {
            return Err(file_error(
                path,
                format!("savetxt writes 1-d or 2-d arrays, not {}-d", other.len()),
            ))
        }
    };
    let values = array.astype(DType::F64).to_vec::<f64>()?;
    let file =
        std::fs::File::create(path).map_err(|e| file_error(path, format!("cannot create: {e}")))?;
    let mut out = BufWriter::new(file);
    let mut write = || -> std::io::Result<()> {
        let comment = |out: &mut BufWriter<_>, text: &str| -> std::io::Result<()> {
            for line in text.split('\n') {
                write!(out, "{}{line}{}", options.comments, options.newline)?;
            }
            Ok(())
        };
        if !options.header.is_empty() {
            comment(&mut out, &options.header)?;
        }
        for row in 0..rows {
            for column in 0..columns {
                if column > 0 {
                    out.write_all(options.delimiter.as_bytes())?;
                }
                out.write_all(format.apply(values[row * columns + column]).as_bytes())?;
            }
            out.write_all(options.newline.as_bytes())?;
        }
        if !options.footer.is_empty() {
            comment(&mut out, &options.footer)?;
        }
        out.flush()
    };
    write().map_err(|e| file_error(path, format!("writing: {e}")))
}
