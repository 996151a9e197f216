//! Input variables declared on the command line:
//! `--shape NAME=D1,D2,...[:DTYPE]`.

use ndjit::ir::{Shape, TensorType};
use ndjit::DType;

/// One declared input: a name, a shape and, optionally, its own dtype.
#[derive(Clone, Debug, PartialEq)]
pub struct Variable {
    /// The name expressions use.
    pub name: String,
    /// Its extents.
    pub shape: Shape,
    /// Its dtype, when given (else the command's default).
    pub dtype: Option<DType>,
}

impl Variable {
    /// Reads `NAME=D1,D2,...` with an optional `:DTYPE` suffix:
    /// `x=1000000`, `m=3,4:f32`, `s=` (0-d).
    pub fn parse(text: &str) -> Result<Variable, String> {
        let syntax = || format!("`{text}` is not NAME=D1,D2,...[:DTYPE], e.g. x=3,4 or x=3,4:f32");
        let (name, rest) = text.split_once('=').ok_or_else(syntax)?;
        let valid_name = name.starts_with(|c: char| c.is_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_alphanumeric() || c == '_')
            && name != "None";
        if !valid_name {
            return Err(format!("`{name}` is not a valid variable name"));
        }
        let (dims, dtype) = match rest.split_once(':') {
            Some((dims, dtype)) => {
                let dtype = DType::parse(dtype).ok_or_else(|| unknown_dtype(dtype))?;
                (dims, Some(dtype))
            }
            None => (rest, None),
        };
        let dims = if dims.trim().is_empty() {
            Vec::new()
        } else {
            dims.split(',')
                .map(|d| d.trim().parse::<usize>().map_err(|_| syntax()))
                .collect::<Result<Vec<_>, _>>()?
        };
        Ok(Variable {
            name: name.to_string(),
            shape: Shape(dims),
            dtype,
        })
    }

    /// The variable's type: its shape and dtype (`default_dtype` unless it
    /// names its own); an error if the shape has too many elements.
    pub fn tensor_type(&self, default_dtype: DType) -> Result<TensorType, String> {
        let dtype = self.dtype.unwrap_or(default_dtype);
        self.shape
            .checked_numel()
            .and_then(|len| len.checked_mul(dtype.size_bytes()))
            .filter(|&bytes| bytes <= isize::MAX as usize)
            .ok_or_else(|| format!("shape {} of `{}` is too large", self.shape, self.name))?;
        Ok(TensorType::new(self.shape.clone(), dtype))
    }
}

/// The message for a dtype name [`DType::parse`] does not know.
pub fn unknown_dtype(name: &str) -> String {
    format!("unknown dtype `{name}` (use f64, f32, i64, i32 or bool)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_name_extents_and_dtype() {
        let x = Variable::parse("x=1000000").unwrap();
        assert_eq!(
            (x.name.as_str(), x.shape.dims(), x.dtype),
            ("x", &[1000000][..], None)
        );
        let m = Variable::parse("m=3,4:f32").unwrap();
        assert_eq!((m.shape.dims(), m.dtype), (&[3, 4][..], Some(DType::F32)));
        assert_eq!(Variable::parse("s=").unwrap().shape.rank(), 0);
        assert!(Variable::parse("x").unwrap_err().contains("NAME=D1,D2"));
        assert!(Variable::parse("x=3,a").unwrap_err().contains("NAME=D1,D2"));
        assert!(Variable::parse("x=3:f16")
            .unwrap_err()
            .contains("unknown dtype `f16`"));
        assert!(Variable::parse("2x=3")
            .unwrap_err()
            .contains("not a valid variable name"));
    }

    #[test]
    fn types_are_checked_for_size() {
        let m = Variable::parse("m=2,3:i32").unwrap();
        assert_eq!(
            m.tensor_type(DType::F64).unwrap(),
            TensorType::new([2, 3], DType::I32)
        );
        let huge = Variable::parse("h=100000000000,100000000000").unwrap();
        assert!(huge
            .tensor_type(DType::F64)
            .unwrap_err()
            .contains("too large"));
        // Placeholders hold no data: a huge but representable shape is fine.
        let big = Variable::parse("a=1000000000000000").unwrap();
        assert!(big.tensor_type(DType::F64).is_ok());
    }
}
