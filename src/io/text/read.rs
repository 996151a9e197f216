//! Reading text tables: `loadtxt` and `genfromtxt`.

use super::TextOptions;
use crate::io::{file_error, Named};
use crate::{Array, Result};
use ndjit_ir::{Buffer, DType, Scalar, Shape, Tensor};
use std::path::Path;

/// Reads a table of numbers from a text file, as `np.loadtxt`: one row
/// per line, fields split by the delimiter (whitespace by default),
/// comments and blank lines skipped, then axes of length one squeezed
/// away down to `ndmin`. A missing or unreadable field is an error naming
/// the file, line and column.
///
/// ```
/// use ndjit::io::{self, TextOptions};
/// let path = std::env::temp_dir().join("ndjit_doc_loadtxt.csv");
/// std::fs::write(&path, "x,y\n1,2\n3,4.5\n")?;
/// let table = io::loadtxt(&path, &TextOptions::new().delimiter(",").skiprows(1))?;
/// assert_eq!(table.shape(), &[2, 2]);
/// assert_eq!(table.to_vec::<f64>()?, vec![1.0, 2.0, 3.0, 4.5]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn loadtxt(path: impl AsRef<Path>, options: &TextOptions) -> Result<Array> {
    let path = path.as_ref();
    parse_text(
        &read_to_string(path)?,
        options,
        false,
        &path.display().to_string(),
    )
}

/// [`loadtxt`] where missing fields (empty, or one of
/// `options.missing_values`) become `options.filling_value` (NaN for
/// floats by default), as `np.genfromtxt`. Unlike NumPy, a field that is
/// present but not a number is an error, not a missing value.
///
/// ```
/// use ndjit::io::{self, TextOptions};
/// let path = std::env::temp_dir().join("ndjit_doc_genfromtxt.csv");
/// std::fs::write(&path, "1,,3\n4,NA,6\n")?;
/// let table = io::genfromtxt(&path, &TextOptions::new().delimiter(",").missing_values(&["NA"]))?;
/// let values = table.to_vec::<f64>()?;
/// assert!(values[1].is_nan() && values[4].is_nan());
/// assert_eq!(values[5], 6.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn genfromtxt(path: impl AsRef<Path>, options: &TextOptions) -> Result<Array> {
    let path = path.as_ref();
    parse_text(
        &read_to_string(path)?,
        options,
        true,
        &path.display().to_string(),
    )
}

fn read_to_string(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| file_error(path, format!("cannot read: {e}")))
}

/// Reads a table held in a string: [`loadtxt`] (`fill_missing` false) or
/// [`genfromtxt`] (true). Errors name `source`.
pub fn parse_text(
    text: &str,
    options: &TextOptions,
    fill_missing: bool,
    source: &str,
) -> Result<Array> {
    let at_line =
        |line: usize, message: String| Named(source).error(format!("line {line}: {message}"));
    if options.ndmin > 2 {
        return Err(Named(source).error(format!("ndmin must be 0, 1 or 2, not {}", options.ndmin)));
    }
    let dtype = options.dtype;
    let filling = Scalar::F64(options.filling_value.unwrap_or(match dtype {
        DType::F32 | DType::F64 => f64::NAN,
        DType::I32 | DType::I64 => -1.0,
        DType::Bool => 0.0,
    }));
    let exact = dtype.is_float() || filling.cast(dtype).to_f64() == filling.to_f64();
    if fill_missing && !exact {
        return Err(Named(source).error(format!(
            "the filling value {} is not a {dtype}; give one with filling_value",
            filling.to_f64()
        )));
    }
    let mut values = Vec::new();
    let mut columns = None;
    let mut rows = 0usize;
    for (index, line) in text.lines().enumerate().skip(options.skiprows) {
        if options.max_rows.is_some_and(|max| rows >= max) {
            break;
        }
        let number = index + 1;
        let content = match options.comments.is_empty() {
            true => line,
            false => line.split(options.comments.as_str()).next().unwrap_or(""),
        };
        if content.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = match &options.delimiter {
            None => content.split_whitespace().collect(),
            Some(delimiter) => content.split(delimiter.as_str()).map(str::trim).collect(),
        };
        let selected =
            select(&fields, options.usecols.as_deref()).map_err(|e| at_line(number, e))?;
        match columns {
            None => columns = Some(selected.len()),
            Some(n) if n != selected.len() => {
                return Err(at_line(
                    number,
                    format!(
                        "the number of columns changed from {n} to {}; use usecols to select a \
                         subset",
                        selected.len()
                    ),
                ))
            }
            Some(_) => {}
        }
        for (column, field) in selected.iter().enumerate() {
            let missing = field.is_empty()
                || (fill_missing && options.missing_values.iter().any(|m| m == field));
            let value = if missing {
                if !fill_missing {
                    return Err(at_line(
                        number,
                        format!(
                            "column {}: empty field (genfromtxt fills missing values)",
                            column + 1
                        ),
                    ));
                }
                filling
            } else {
                parse_field(field, dtype).ok_or_else(|| {
                    at_line(
                        number,
                        format!("column {}: cannot read {field:?} as {dtype}", column + 1),
                    )
                })?
            };
            values.push(value);
        }
        rows += 1;
    }
    table(values, rows, columns.unwrap_or(0), options).map_err(|e| Named(source).error(e))
}

/// The fields at `usecols` (negative counts from the end), or all.
fn select<'f>(fields: &[&'f str], usecols: Option<&[isize]>) -> Result<Vec<&'f str>, String> {
    let Some(usecols) = usecols else {
        return Ok(fields.to_vec());
    };
    usecols
        .iter()
        .map(|&column| {
            let index = if column < 0 {
                fields.len() as isize + column
            } else {
                column
            };
            usize::try_from(index)
                .ok()
                .and_then(|i| fields.get(i).copied())
                .ok_or_else(|| {
                    format!(
                        "usecols asks for column {column}, the line has {}",
                        fields.len()
                    )
                })
        })
        .collect()
}

/// One field as `dtype`, as Python's `float`/`int` read it.
fn parse_field(field: &str, dtype: DType) -> Option<Scalar> {
    // Python allows underscores between digits ("1_000"); Rust does not.
    let cleaned;
    let field = if field.contains('_') {
        cleaned = field.replace('_', "");
        &cleaned
    } else {
        field
    };
    Some(match dtype {
        DType::F64 => Scalar::F64(field.parse().ok()?),
        DType::F32 => Scalar::F32(field.parse().ok()?),
        DType::I64 => Scalar::I64(field.parse().ok()?),
        DType::I32 => Scalar::I32(field.parse().ok()?),
        DType::Bool => Scalar::Bool(match field {
            "True" | "true" | "1" => true,
            "False" | "false" | "0" => false,
            _ => return None,
        }),
    })
}

/// The array of `rows × columns` values, squeezed as NumPy's `ndmin` says.
fn table(
    values: Vec<Scalar>,
    rows: usize,
    columns: usize,
    options: &TextOptions,
) -> Result<Array, String> {
    let dtype = options.dtype;
    let mut buffer = Buffer::zeros(dtype, values.len());
    for (index, value) in values.into_iter().enumerate() {
        buffer.set(index, value);
    }
    let mut shape = if rows == 0 {
        vec![0]
    } else {
        vec![rows, columns]
    };
    if shape.len() > options.ndmin {
        shape.retain(|&d| d != 1);
    }
    while shape.len() < options.ndmin {
        // NumPy: atleast_1d, or atleast_2d(...).T (a column).
        shape.push(1);
    }
    let tensor = Tensor::new(Shape(shape), buffer).ok_or("row lengths disagree")?;
    Ok(Array::from_tensor(tensor))
}
