//! Printing arrays as NumPy's `repr` does: `array([[1, 2],\n       [3, 4]])`.
//!
//! The layout follows NumPy's `array_repr` with its default print options:
//! lines of at most 75 characters, elements of one array padded to a common
//! width, arrays of more than 1000 elements summarized with `...` keeping 3
//! items at each end of every axis, and `shape=` / `dtype=` appended when the
//! text alone would not say them.

mod float;

use super::Array;
use float::{Float, FloatFormat};
use ndjit_ir::{DType, Element, Tensor};
use std::fmt;

/// Longest line NumPy prints (`np.get_printoptions()['linewidth']`).
const LINE_WIDTH: usize = 75;
/// Arrays with more elements than this are summarized (`threshold`).
const THRESHOLD: usize = 1000;
/// Items kept at each end of a summarized axis (`edgeitems`).
const EDGE_ITEMS: usize = 3;
/// What is printed in place of the elements a summary leaves out.
const ELLIPSIS: &str = "...";
const PREFIX: &str = "array(";

/// The NumPy `repr` of a tensor, as [`Display for Array`](Array) prints it.
///
/// ```
/// use ndjit::ir::Tensor;
/// let t = Tensor::from_slice([2, 2], &[1i64, 2, 3, 4]).unwrap();
/// assert_eq!(ndjit::array_repr(&t), "array([[1, 2],\n       [3, 4]])");
/// let t = Tensor::from_slice([2], &[1.0f32, 2.5]).unwrap();
/// assert_eq!(ndjit::array_repr(&t), "array([1. , 2.5], dtype=float32)");
/// ```
pub fn array_repr(tensor: &Tensor) -> String {
    let dims = tensor.shape().dims();
    let size = tensor.shape().numel();
    let summarize = size > THRESHOLD;
    let body = if size == 0 {
        "[]".to_string()
    } else {
        let layout = Layout {
            dims,
            strides: row_major_strides(dims),
            summarize,
            element: element_formatter(tensor, &shown_offsets(dims, summarize)),
        };
        let indent = " ".repeat(PREFIX.len() + 1);
        layout.nested(0, 0, &indent, LINE_WIDTH)
    };
    let mut extras = Vec::new();
    if (size == 0 && dims != [0]) || summarize {
        extras.push(format!("shape={}", python_tuple(dims)));
    }
    let dtype = tensor.dtype();
    if !matches!(dtype, DType::F64 | DType::I64 | DType::Bool) || size == 0 {
        extras.push(format!("dtype={}", numpy_dtype_name(dtype)));
    }
    if extras.is_empty() {
        return format!("{PREFIX}{body})");
    }
    let text = format!("{PREFIX}{body},");
    let extras = extras.join(", ") + ")";
    let last_line = text.len() - text.rfind('\n').map_or(0, |newline| newline + 1);
    let spacer = if last_line + extras.len() + 1 > LINE_WIDTH {
        format!("\n{}", " ".repeat(PREFIX.len()))
    } else {
        " ".to_string()
    };
    text + &spacer + &extras
}

impl fmt::Display for Array {
    /// Evaluates the array and prints it as NumPy's `repr` does (see
    /// [`array_repr`]); if it cannot be evaluated, prints the error.
    ///
    /// ```
    /// use ndjit::Array;
    /// let a = Array::from_vec(vec![true, false], [2]);
    /// assert_eq!(a.to_string(), "array([ True, False])");
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.value() {
            Ok(tensor) => f.write_str(&array_repr(&tensor)),
            Err(error) => write!(f, "<array error: {error}>"),
        }
    }
}

/// The arrangement of the elements in nested brackets, as NumPy's
/// `_formatArray`.
struct Layout<'a> {
    dims: &'a [usize],
    strides: Vec<usize>,
    summarize: bool,
    /// Formats the element at a row-major offset, padded to the common width.
    element: Box<dyn Fn(usize) -> String + 'a>,
}

impl Layout<'_> {
    /// The sub-array at `offset` from `axis` on. `indent` is what starts each
    /// of its lines but the first; `width` is the room left for a line.
    /// Recursion is bounded by the rank of the array.
    fn nested(&self, axis: usize, offset: usize, indent: &str, width: usize) -> String {
        if axis == self.dims.len() {
            return (self.element)(offset);
        }
        let extent = self.dims[axis];
        let inner_indent = format!("{indent} ");
        let item = |i: usize| {
            self.nested(
                axis + 1,
                offset + i * self.strides[axis],
                &inner_indent,
                width.saturating_sub(1),
            )
        };
        let summary = self.summarize && extent > 2 * EDGE_ITEMS;
        let (head, tail_start) = if summary {
            (EDGE_ITEMS, extent - EDGE_ITEMS)
        } else {
            (0, 0)
        };
        let mut text = String::new();
        let axes_left = self.dims.len() - axis;
        if axes_left == 1 {
            // Room for the element and the `,` or `]` after it.
            let room = width.saturating_sub(1);
            let mut line = indent.to_string();
            for i in 0..head {
                extend_line(&mut text, &mut line, &item(i), room, indent);
                line.push_str(", ");
            }
            if summary {
                extend_line(&mut text, &mut line, ELLIPSIS, room, indent);
                line.push_str(", ");
            }
            for i in tail_start..extent - 1 {
                extend_line(&mut text, &mut line, &item(i), room, indent);
                line.push_str(", ");
            }
            extend_line(&mut text, &mut line, &item(extent - 1), room, indent);
            text.push_str(&line);
        } else {
            // Sub-arrays of rank k are separated by k blank lines less one.
            let separator = format!(",{}", "\n".repeat(axes_left - 1));
            for i in 0..head {
                text += &format!("{indent}{}{separator}", item(i));
            }
            if summary {
                text += &format!("{indent}{ELLIPSIS}{separator}");
            }
            for i in tail_start..extent - 1 {
                text += &format!("{indent}{}{separator}", item(i));
            }
            text += &format!("{indent}{}", item(extent - 1));
        }
        format!("[{}]", &text[indent.len()..])
    }
}

/// Appends `word` to `line`, first moving `line` to `text` and starting a
/// new one when the word would not fit in `width` (unless the line holds
/// nothing but its indent, where wrapping would not help).
fn extend_line(text: &mut String, line: &mut String, word: &str, width: usize, indent: &str) {
    if line.len() + word.len() > width && line.len() > indent.len() {
        text.push_str(line.trim_end());
        text.push('\n');
        *line = indent.to_string();
    }
    line.push_str(word);
}

/// Row-major offsets of the elements that will be shown: all of them, or
/// for a summary those within [`EDGE_ITEMS`] of either end of every axis.
fn shown_offsets(dims: &[usize], summarize: bool) -> Vec<usize> {
    let strides = row_major_strides(dims);
    let mut offsets = vec![0];
    for (&extent, &stride) in dims.iter().zip(&strides) {
        let indices: Vec<usize> = if summarize && extent > 2 * EDGE_ITEMS {
            (0..EDGE_ITEMS).chain(extent - EDGE_ITEMS..extent).collect()
        } else {
            (0..extent).collect()
        };
        offsets = offsets
            .iter()
            .flat_map(|&base| indices.iter().map(move |&i| base + i * stride))
            .collect();
    }
    offsets
}

fn row_major_strides(dims: &[usize]) -> Vec<usize> {
    let mut strides = vec![1; dims.len()];
    for axis in (0..dims.len().saturating_sub(1)).rev() {
        strides[axis] = strides[axis + 1] * dims[axis + 1];
    }
    strides
}

/// Formats elements by offset, padded to a width common to the elements at
/// `shown`, the way NumPy's `BoolFormat`, `IntegerFormat` and
/// `FloatingFormat` do.
fn element_formatter<'a>(tensor: &'a Tensor, shown: &[usize]) -> Box<dyn Fn(usize) -> String + 'a> {
    match tensor.dtype() {
        DType::Bool => {
            // " True" lines up with "False", except in a 0-d array.
            let true_text = if tensor.shape().rank() == 0 {
                "True"
            } else {
                " True"
            };
            let values = tensor.as_slice::<bool>();
            Box::new(move |i| (if values[i] { true_text } else { "False" }).to_string())
        }
        DType::I32 => integer_formatter(tensor.as_slice::<i32>(), shown),
        DType::I64 => integer_formatter(tensor.as_slice::<i64>(), shown),
        DType::F32 => float_formatter(tensor.as_slice::<f32>(), shown),
        DType::F64 => float_formatter(tensor.as_slice::<f64>(), shown),
    }
}

fn integer_formatter<'a, T: Element + fmt::Display>(
    values: &'a [T],
    shown: &[usize],
) -> Box<dyn Fn(usize) -> String + 'a> {
    let width = shown
        .iter()
        .map(|&i| values[i].to_string().len())
        .max()
        .unwrap_or(0);
    Box::new(move |i| format!("{:>width$}", values[i]))
}

fn float_formatter<'a, T: Element + Float>(
    values: &'a [T],
    shown: &[usize],
) -> Box<dyn Fn(usize) -> String + 'a> {
    let shown_values: Vec<T> = shown.iter().map(|&i| values[i]).collect();
    let format = FloatFormat::new(&shown_values);
    Box::new(move |i| format.format(values[i]))
}

/// `(3,)`, `(2, 3)`, `()`: a shape as Python prints a tuple.
fn python_tuple(dims: &[usize]) -> String {
    match dims {
        [single] => format!("({single},)"),
        _ => {
            let items: Vec<String> = dims.iter().map(|d| d.to_string()).collect();
            format!("({})", items.join(", "))
        }
    }
}

/// NumPy's name of a dtype, as in `dtype=float32`.
fn numpy_dtype_name(dtype: DType) -> &'static str {
    match dtype {
        DType::Bool => "bool",
        DType::I32 => "int32",
        DType::I64 => "int64",
        DType::F32 => "float32",
        DType::F64 => "float64",
    }
}

#[cfg(test)]
mod tests;
