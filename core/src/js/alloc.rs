//! The lite wasm's global allocator (feature `small-alloc`, see
//! `core/Cargo.toml`): lol_alloc's free list instead of dlmalloc, because
//! the allocator was a twentieth of the lite entry's gzip and the entry only
//! allocates a few small buffers a call. `LockedAllocator` rather than
//! `AssumeSingleThreaded`: the same size here, and no `unsafe`.

#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());
