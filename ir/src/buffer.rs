//! Typed, 64-byte aligned element storage, and host tensors built on it.

use crate::buffer_pool;
use crate::dtype::DType;
use crate::error::IrError;
use crate::scalar::Scalar;
use crate::shape::Shape;
use std::alloc::{alloc_zeroed, dealloc, Layout};
use std::fmt;
use std::ptr::NonNull;
use std::sync::Arc;

/// Rust types that are array elements: `bool`, `i32`, `i64`, `f32`, `f64`.
pub trait Element: Copy + Send + Sync + PartialEq + fmt::Debug + 'static {
    /// The matching dtype.
    const DTYPE: DType;
    /// Wraps a value as a [`Scalar`].
    fn to_scalar(self) -> Scalar;
    /// Converts a scalar of any dtype to this type (as a NumPy cast).
    fn from_scalar(value: Scalar) -> Self;
}

macro_rules! element {
    ($t:ty, $d:ident) => {
        impl Element for $t {
            const DTYPE: DType = DType::$d;
            fn to_scalar(self) -> Scalar {
                Scalar::$d(self)
            }
            fn from_scalar(value: Scalar) -> Self {
                match value.cast(DType::$d) {
                    Scalar::$d(v) => v,
                    _ => unreachable!("Scalar::cast returns the requested dtype"),
                }
            }
        }
    };
}
element!(bool, Bool);
element!(i32, I32);
element!(i64, I64);
element!(f32, F32);
element!(f64, F64);

/// Alignment of every buffer: one cache line, and enough for any SIMD load.
pub const BUFFER_ALIGN: usize = 64;

/// A contiguous run of `len` elements of one dtype, 64-byte aligned and
/// zero-initialised. JIT kernels read and write buffers through raw pointers;
/// safe code uses the typed slice views.
pub struct Buffer {
    dtype: DType,
    len: usize,
    ptr: NonNull<u8>,
    /// What keeps borrowed memory alive (a memory-mapped file, see
    /// [`Buffer::from_external`]); `None` when the buffer owns its allocation.
    external: Option<Arc<dyn Send + Sync>>,
}

// SAFETY: a Buffer owns its allocation exclusively (no interior aliasing);
// shared access hands out only `&[T]`, mutation requires `&mut self`.
unsafe impl Send for Buffer {}
// SAFETY: see `Send`; `&Buffer` only permits reads.
unsafe impl Sync for Buffer {}

/// Memory for a buffer could not be had: its size in bytes overflows
/// (`bytes` is then the exact product, beyond `isize::MAX`), or the
/// allocator refused it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AllocError {
    /// The bytes asked for.
    pub bytes: u128,
}

impl AllocError {
    /// The graph-layer error for this failure while computing `op`.
    pub fn for_op(self, op: impl Into<String>) -> IrError {
        IrError::Memory {
            op: op.into(),
            bytes: self.bytes,
        }
    }
}

impl Buffer {
    /// `len` zeros (`false` for bool) of `dtype`. Aborts the process if the
    /// memory cannot be had: for sizes ndjit chose itself; a size that
    /// comes from the user goes through [`Buffer::try_zeros`].
    pub fn zeros(dtype: DType, len: usize) -> Buffer {
        Buffer::try_zeros(dtype, len).unwrap_or_else(|e| out_of_memory(e))
    }

    /// `len` zeros of `dtype`, or an error if the memory cannot be had.
    pub fn try_zeros(dtype: DType, len: usize) -> Result<Buffer, AllocError> {
        let (buffer, recycled) = Buffer::allocate(dtype, len)?;
        if recycled {
            // SAFETY: the allocation holds `len` elements' worth of bytes.
            unsafe { std::ptr::write_bytes(buffer.ptr.as_ptr(), 0, len * dtype.size_bytes()) };
        }
        Ok(buffer)
    }

    /// `len` elements of `dtype` with unspecified contents, for a caller
    /// that overwrites every element before reading any (the runtime's
    /// kernel outputs): a recycled allocation is not zeroed. It may hold the
    /// bytes of another dtype, which for `bool` need not be 0 or 1, so this
    /// is `unsafe`. An error if the memory cannot be had.
    ///
    /// # Safety
    ///
    /// Every element must be written before the buffer is read or dropped
    /// into safe code that reads it.
    pub unsafe fn for_overwrite(dtype: DType, len: usize) -> Result<Buffer, AllocError> {
        Ok(Buffer::allocate(dtype, len)?.0)
    }

    /// Storage for `len` elements: a recycled allocation of the same size
    /// (`true`, stale contents), or a fresh zeroed one (`false`). Never
    /// aborts: a size that overflows and an allocator failure are errors.
    fn allocate(dtype: DType, len: usize) -> Result<(Buffer, bool), AllocError> {
        let exact = len as u128 * dtype.size_bytes() as u128;
        let too_big = AllocError { bytes: exact };
        // Checked: a wrapped product would allocate too little for `len`.
        let bytes = usize::try_from(exact).map_err(|_| too_big)?;
        if bytes == 0 {
            // A dangling but aligned pointer: never dereferenced for 0 bytes.
            let ptr = NonNull::new(BUFFER_ALIGN as *mut u8).expect("non-zero");
            return Ok((Buffer::owned(dtype, len, ptr), false));
        }
        if let Some(ptr) = buffer_pool::take(bytes) {
            return Ok((Buffer::owned(dtype, len, ptr), true));
        }
        // Refuses sizes above isize::MAX (rounded up to the alignment).
        let layout = Layout::from_size_align(bytes, BUFFER_ALIGN).map_err(|_| too_big)?;
        // SAFETY: the layout has non-zero size.
        let raw = unsafe { alloc_zeroed(layout) };
        let ptr = NonNull::new(raw).ok_or(too_big)?;
        Ok((Buffer::owned(dtype, len, ptr), false))
    }

    fn owned(dtype: DType, len: usize, ptr: NonNull<u8>) -> Buffer {
        Buffer {
            dtype,
            len,
            ptr,
            external: None,
        }
    }

    /// A buffer over memory it does not own: `len` elements of `dtype` at
    /// `ptr`, kept alive by `owner` (a memory-mapped file), which the
    /// buffer holds until it is dropped. Nothing is copied.
    ///
    /// # Safety
    ///
    /// For as long as `owner` lives, `ptr` must be valid for reads and
    /// writes of `len` elements, aligned for `dtype`, hold valid elements
    /// (bools 0 or 1), and be accessed by nothing but this buffer and its
    /// clones' readers (no other writer while any of them lives).
    pub unsafe fn from_external(
        dtype: DType,
        len: usize,
        ptr: NonNull<u8>,
        owner: Arc<dyn Send + Sync>,
    ) -> Buffer {
        Buffer {
            dtype,
            len,
            ptr,
            external: Some(owner),
        }
    }

    /// A copy of this buffer, or an error if the memory cannot be had.
    pub fn try_clone(&self) -> Result<Buffer, AllocError> {
        let copy = Buffer::try_zeros(self.dtype, self.len)?;
        let bytes = self.len * self.dtype.size_bytes();
        // SAFETY: both allocations hold `bytes` bytes and do not overlap.
        unsafe { std::ptr::copy_nonoverlapping(self.ptr.as_ptr(), copy.ptr.as_ptr(), bytes) };
        Ok(copy)
    }

    /// `len` copies of `value`, or an error if the memory cannot be had.
    pub fn try_filled(value: Scalar, len: usize) -> Result<Buffer, AllocError> {
        let mut buffer = Buffer::try_zeros(value.dtype(), len)?;
        buffer.fill(value);
        Ok(buffer)
    }

    /// A buffer holding a copy of `values`.
    pub fn from_slice<T: Element>(values: &[T]) -> Buffer {
        let mut buffer = Buffer::zeros(T::DTYPE, values.len());
        buffer.as_mut_slice::<T>().copy_from_slice(values);
        buffer
    }

    /// `len` copies of `value` (aborts if the memory cannot be had; see
    /// [`Buffer::try_filled`]).
    pub fn filled(value: Scalar, len: usize) -> Buffer {
        Buffer::try_filled(value, len).unwrap_or_else(|e| out_of_memory(e))
    }

    /// Sets every element to `value`, cast to this buffer's dtype.
    pub fn fill(&mut self, value: Scalar) {
        match value.cast(self.dtype) {
            Scalar::Bool(v) => self.as_mut_slice::<bool>().fill(v),
            Scalar::I32(v) => self.as_mut_slice::<i32>().fill(v),
            Scalar::I64(v) => self.as_mut_slice::<i64>().fill(v),
            Scalar::F32(v) => self.as_mut_slice::<f32>().fill(v),
            Scalar::F64(v) => self.as_mut_slice::<f64>().fill(v),
        }
    }

    /// Element type.
    pub fn dtype(&self) -> DType {
        self.dtype
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no elements.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The elements as a typed slice. Panics if `T` is not the buffer's
    /// dtype: that is a bug in ndjit, never a user error.
    pub fn as_slice<T: Element>(&self) -> &[T] {
        assert_eq!(T::DTYPE, self.dtype, "buffer dtype mismatch");
        // SAFETY: the allocation holds `len` initialised elements of T, is
        // aligned to 64 ≥ align_of::<T>(), and bools are only ever 0 or 1.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr() as *const T, self.len) }
    }

    /// The elements as a mutable typed slice (panics on a dtype mismatch).
    pub fn as_mut_slice<T: Element>(&mut self) -> &mut [T] {
        assert_eq!(T::DTYPE, self.dtype, "buffer dtype mismatch");
        // SAFETY: as in `as_slice`, and `&mut self` makes the access exclusive.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr() as *mut T, self.len) }
    }

    /// The element at `index` as a scalar.
    pub fn get(&self, index: usize) -> Scalar {
        match self.dtype {
            DType::Bool => Scalar::Bool(self.as_slice::<bool>()[index]),
            DType::I32 => Scalar::I32(self.as_slice::<i32>()[index]),
            DType::I64 => Scalar::I64(self.as_slice::<i64>()[index]),
            DType::F32 => Scalar::F32(self.as_slice::<f32>()[index]),
            DType::F64 => Scalar::F64(self.as_slice::<f64>()[index]),
        }
    }

    /// Stores `value`, cast to this buffer's dtype, at `index`.
    pub fn set(&mut self, index: usize, value: Scalar) {
        match value.cast(self.dtype) {
            Scalar::Bool(v) => self.as_mut_slice::<bool>()[index] = v,
            Scalar::I32(v) => self.as_mut_slice::<i32>()[index] = v,
            Scalar::I64(v) => self.as_mut_slice::<i64>()[index] = v,
            Scalar::F32(v) => self.as_mut_slice::<f32>()[index] = v,
            Scalar::F64(v) => self.as_mut_slice::<f64>()[index] = v,
        }
    }

    /// Start of the storage, for JIT kernels.
    pub fn as_ptr(&self) -> *const u8 {
        self.ptr.as_ptr()
    }

    /// Start of the storage, for JIT kernels that write it.
    pub fn as_mut_ptr(&mut self) -> *mut u8 {
        self.ptr.as_ptr()
    }
}

impl Drop for Buffer {
    fn drop(&mut self) {
        if self.external.is_some() {
            // Borrowed memory: dropping `external` releases it.
            return;
        }
        let bytes = self.len * self.dtype.size_bytes();
        if bytes > 0 && !buffer_pool::give(self.ptr, bytes) {
            let layout =
                Layout::from_size_align(bytes, BUFFER_ALIGN).expect("checked at allocation");
            // SAFETY: allocated in `allocate` with exactly this layout (the
            // pool only hands out allocations of the same byte size).
            unsafe { dealloc(self.ptr.as_ptr(), layout) };
        }
    }
}

impl Clone for Buffer {
    /// A copy (aborts if the memory cannot be had; see [`Buffer::try_clone`]).
    fn clone(&self) -> Buffer {
        self.try_clone().unwrap_or_else(|e| out_of_memory(e))
    }
}

/// The end of an infallible allocation that failed: the standard library's
/// out-of-memory handling (an abort), as for any `Vec`.
fn out_of_memory(error: AllocError) -> ! {
    match usize::try_from(error.bytes)
        .ok()
        .and_then(|bytes| Layout::from_size_align(bytes, BUFFER_ALIGN).ok())
    {
        Some(layout) => std::alloc::handle_alloc_error(layout),
        None => panic!("buffer size overflows: {} bytes", error.bytes),
    }
}

impl fmt::Debug for Buffer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Buffer<{}>[{}]", self.dtype, self.len)
    }
}

impl PartialEq for Buffer {
    /// Element-wise equality (NaN != NaN, as for floats).
    fn eq(&self, other: &Buffer) -> bool {
        if self.dtype != other.dtype || self.len != other.len {
            return false;
        }
        match self.dtype {
            DType::Bool => self.as_slice::<bool>() == other.as_slice::<bool>(),
            DType::I32 => self.as_slice::<i32>() == other.as_slice::<i32>(),
            DType::I64 => self.as_slice::<i64>() == other.as_slice::<i64>(),
            DType::F32 => self.as_slice::<f32>() == other.as_slice::<f32>(),
            DType::F64 => self.as_slice::<f64>() == other.as_slice::<f64>(),
        }
    }
}

/// A materialized array: a shape and a shared, row-major contiguous buffer
/// holding exactly the shape's number of elements.
///
/// The fields are private and every constructor checks that the buffer's
/// length is the shape's element count, so a `Tensor` can be trusted by
/// code that hands its buffer to compiled kernels as a raw pointer.
///
/// ```
/// use ndjit_ir::{Buffer, DType, Tensor};
/// assert!(Tensor::new([2, 3], Buffer::zeros(DType::F64, 6)).is_some());
/// assert!(Tensor::new([50_000_000], Buffer::zeros(DType::F64, 1)).is_none());
/// ```
///
/// A tensor cannot be assembled from parts that disagree:
///
/// ```compile_fail
/// use ndjit_ir::{Buffer, DType, Shape, Tensor};
/// use std::sync::Arc;
/// let t = Tensor { shape: Shape(vec![50_000_000]), buffer: Arc::new(Buffer::zeros(DType::F64, 1)) };
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Tensor {
    shape: Shape,
    buffer: Arc<Buffer>,
}

impl Tensor {
    /// A tensor over `buffer`; `None` if its length is not the shape's
    /// element count (or that count overflows `usize`).
    pub fn new(shape: impl Into<Shape>, buffer: Buffer) -> Option<Tensor> {
        Tensor::from_shared(shape, Arc::new(buffer))
    }

    /// A tensor over a shared buffer; `None` if its length is not the
    /// shape's element count (or that count overflows `usize`).
    pub fn from_shared(shape: impl Into<Shape>, buffer: Arc<Buffer>) -> Option<Tensor> {
        let shape = shape.into();
        (shape.checked_numel() == Some(buffer.len())).then_some(Tensor { shape, buffer })
    }

    /// A tensor holding a copy of `values`; `None` if the lengths disagree.
    pub fn from_slice<T: Element>(shape: impl Into<Shape>, values: &[T]) -> Option<Tensor> {
        let shape = shape.into();
        if shape.checked_numel() != Some(values.len()) {
            return None;
        }
        Tensor::new(shape, Buffer::from_slice(values))
    }

    /// Extents.
    pub fn shape(&self) -> &Shape {
        &self.shape
    }

    /// The `shape().numel()` elements in row-major order.
    pub fn buffer(&self) -> &Arc<Buffer> {
        &self.buffer
    }

    /// The buffer, giving up the shape.
    pub fn into_buffer(self) -> Arc<Buffer> {
        self.buffer
    }

    /// The same elements viewed with another shape of the same element
    /// count (a row-major reshape); `None` if the counts differ.
    pub fn reshaped(&self, shape: impl Into<Shape>) -> Option<Tensor> {
        Tensor::from_shared(shape, Arc::clone(&self.buffer))
    }

    /// Element type.
    pub fn dtype(&self) -> DType {
        self.buffer.dtype()
    }

    /// The elements as a typed slice (panics on a dtype mismatch).
    pub fn as_slice<T: Element>(&self) -> &[T] {
        self.buffer.as_slice()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffers_are_aligned_and_zeroed() {
        let b = Buffer::zeros(DType::F64, 3);
        assert_eq!(b.as_ptr() as usize % BUFFER_ALIGN, 0);
        assert_eq!(b.as_slice::<f64>(), &[0.0, 0.0, 0.0]);
        let e = Buffer::zeros(DType::I32, 0);
        assert!(e.as_slice::<i32>().is_empty());
    }

    #[test]
    fn large_allocations_are_recycled_and_rezeroed() {
        // An odd size no other test uses, so the pool's entry is ours.
        let len = (3 << 20) / 8 + 1;
        let mut first = Buffer::zeros(DType::F64, len);
        first.as_mut_slice::<f64>().fill(7.0);
        let address = first.as_ptr();
        drop(first);
        let second = Buffer::zeros(DType::F64, len);
        assert_eq!(second.as_ptr(), address, "the freed allocation is reused");
        assert!(second.as_slice::<f64>().iter().all(|&v| v == 0.0));
    }

    #[test]
    fn round_trips_values() {
        let b = Buffer::from_slice(&[1i64, -2, 3]);
        assert_eq!(b.get(1), Scalar::I64(-2));
        assert_eq!(b.clone(), b);
        assert_eq!(
            Buffer::filled(Scalar::Bool(true), 2).as_slice::<bool>(),
            &[true, true]
        );
    }

    #[test]
    fn tensors_check_their_buffer_length() {
        let five = || Buffer::zeros(DType::F64, 5);
        assert!(Tensor::new([2, 3], five()).is_none());
        assert!(Tensor::new([5], five()).is_some());
        // The element count of this shape wraps to 0 in usize arithmetic.
        let wrapping = [1usize << 32, 1 << 32];
        assert!(Tensor::new(wrapping, Buffer::zeros(DType::F64, 0)).is_none());
        assert!(Tensor::from_slice([usize::MAX, usize::MAX], &[4.0]).is_none());
        let t = Tensor::from_slice([2, 2], &[1, 2, 3, 4]).unwrap();
        assert_eq!(t.reshaped([4]).unwrap().shape(), &Shape(vec![4]));
        assert!(t.reshaped([3]).is_none());
    }

    #[test]
    #[should_panic(expected = "buffer size overflows")]
    fn a_size_in_bytes_that_overflows_is_refused() {
        // 2^62 f64s are 2^65 bytes, which wrapped to an empty allocation.
        Buffer::zeros(DType::F64, 1 << 62);
    }

    #[test]
    fn impossible_allocations_are_errors() {
        let overflowing = Buffer::try_zeros(DType::F64, 1 << 62).unwrap_err();
        assert_eq!(overflowing.bytes, 1 << 65);
        // Fits usize but not a Layout (above isize::MAX).
        let huge = (usize::MAX / 8) as u128 * 8;
        let refused = Buffer::try_zeros(DType::F64, usize::MAX / 8).unwrap_err();
        assert_eq!(refused.bytes, huge);
        // Fits a Layout but no machine's memory (2^60 bytes).
        assert!(Buffer::try_zeros(DType::Bool, 1 << 60).is_err());
        assert!(Buffer::try_filled(Scalar::I64(1), 1 << 58).is_err());
        let message = refused.for_op("eye").to_string();
        assert!(
            message.contains("eye") && message.contains(&huge.to_string()),
            "{message}"
        );
    }
}
