//! Compiling a traced graph into a runnable program: optimize, schedule,
//! compile each kernel (through the kernel cache), and cache the result.

use super::cache::LruCache;
use super::stats::{bump, COUNTERS};
use crate::codegen::{self, CompiledKernel};
use crate::error::Result;
use ndjit_ir::schedule::{schedule, KernelKey, Schedule, Step};
use ndjit_ir::{Graph, Node, NodeId};
use std::hash::BuildHasher;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

/// Kernels kept compiled at most (each holds its code pages).
const KERNEL_CACHE_CAPACITY: usize = 1024;
/// Programs kept at most.
const PROGRAM_CACHE_CAPACITY: usize = 512;

/// A scheduled graph with its compiled kernels.
pub(crate) struct Program {
    /// The traced graph it was compiled from (checked on cache hits).
    key: ProgramKey,
    /// The schedule.
    pub schedule: Schedule,
    /// For each step, what runs it.
    pub runners: Vec<Runner>,
    /// For each buffer, the index of the last step that reads it (temporaries
    /// are freed right after it).
    pub last_read: Vec<Option<usize>>,
}

/// What runs one step of a schedule, prepared at compile time.
pub(crate) enum Runner {
    /// A kernel's machine code.
    Kernel(Arc<CompiledKernel>),
    /// The machine code of each kernel of a row-blocks step, in order.
    RowBlocks(Vec<Arc<CompiledKernel>>),
    /// A library op, as a one-op graph for the interpreter's routine (built
    /// once here, not on every run).
    Library(Graph),
}

/// A traced graph, exactly: ops, attributes (constant values included),
/// types and outputs. Equal keys compile to the same program.
struct ProgramKey {
    nodes: Vec<Node>,
    outputs: Vec<NodeId>,
}

/// Programs by the hash of their [`ProgramKey`]; a hit is confirmed by
/// comparing the stored key, so a look-up never clones the graph.
fn program_cache() -> &'static Mutex<LruCache<u64, Arc<Program>>> {
    static CACHE: OnceLock<Mutex<LruCache<u64, Arc<Program>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(LruCache::new(PROGRAM_CACHE_CAPACITY)))
}

fn kernel_cache() -> &'static Mutex<LruCache<KernelKey, Arc<CompiledKernel>>> {
    static CACHE: OnceLock<Mutex<LruCache<KernelKey, Arc<CompiledKernel>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(LruCache::new(KERNEL_CACHE_CAPACITY)))
}

/// The program for `graph`, from the cache or freshly compiled.
pub(crate) fn program_for(graph: &Graph) -> Result<Arc<Program>> {
    let hash = rustc_hash::FxBuildHasher.hash_one((graph.nodes(), graph.outputs()));
    if let Some(program) = lock(program_cache()).get(&hash) {
        if program.key.nodes == graph.nodes() && program.key.outputs == graph.outputs() {
            bump(&COUNTERS.program_cache_hits);
            return Ok(program);
        }
    }
    let start = Instant::now();
    let program = Arc::new(compile_program(graph)?);
    COUNTERS
        .compile_nanos
        .fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
    bump(&COUNTERS.programs_compiled);
    lock(program_cache()).insert(hash, program.clone());
    Ok(program)
}

/// The pipeline after tracing, for one graph.
pub(crate) fn compile_program(graph: &Graph) -> Result<Program> {
    super::check_sizes(graph)?;
    let optimized =
        ndjit_ir::passes::optimize(graph, &ndjit_ir::passes::OptimizeOptions::default());
    let schedule = schedule(&optimized);
    super::bounds::check_schedule(&schedule)?;
    let runners = schedule
        .steps
        .iter()
        .map(|step| match step {
            Step::Kernel(kernel) => compile_cached(kernel).map(Runner::Kernel),
            Step::RowBlocks(blocks) => blocks
                .kernels
                .iter()
                .map(compile_cached)
                .collect::<Result<Vec<_>>>()
                .map(Runner::RowBlocks),
            Step::Library { op, args, .. } => {
                let mut library = Graph::new();
                let ids: Vec<NodeId> = args
                    .iter()
                    .map(|(_, ty)| library.input(ty.clone()))
                    .collect();
                let result = library.add(op.clone(), &ids).map_err(crate::Error::Ir)?;
                library.set_outputs(vec![result]);
                Ok(Runner::Library(library))
            }
        })
        .collect::<Result<Vec<_>>>()?;
    if let Some(dir) = std::env::var_os("NDJIT_DUMP") {
        super::dump::write(std::path::Path::new(&dir), graph, &optimized, &schedule);
    }
    let last_read = last_reads(&schedule);
    let key = ProgramKey {
        nodes: graph.nodes().to_vec(),
        outputs: graph.outputs().to_vec(),
    };
    Ok(Program {
        key,
        schedule,
        runners,
        last_read,
    })
}

/// The compiled code of a kernel, from the cache or freshly compiled.
fn compile_cached(kernel: &ndjit_ir::schedule::Kernel) -> Result<Arc<CompiledKernel>> {
    let key = kernel.key();
    if let Some(compiled) = lock(kernel_cache()).get(&key) {
        bump(&COUNTERS.kernel_cache_hits);
        return Ok(compiled);
    }
    let compiled = Arc::new(codegen::compile(kernel)?);
    bump(&COUNTERS.kernels_compiled);
    let evicted = lock(kernel_cache()).insert(key, compiled.clone());
    COUNTERS
        .kernels_evicted
        .fetch_add(evicted as u64, Ordering::Relaxed);
    Ok(compiled)
}

fn last_reads(schedule: &Schedule) -> Vec<Option<usize>> {
    let mut last = vec![None; schedule.buffers.len()];
    for (i, step) in schedule.steps.iter().enumerate() {
        for buffer in step.reads() {
            last[buffer.0 as usize] = Some(i);
        }
    }
    last
}

/// Locks a cache; a panic while it was held cannot leave it inconsistent
/// (every update is a single insert), so poisoning is ignored.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
