#include "vision/tflite/kernels.hpp"

// GCC 12's _mm512_max_ps/_mm512_min_ps pass _mm512_undefined_ps() (a self-initialised variable) as
// their unused merge operand, which -Wuninitialized reports once they are inlined here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include <algorithm>
#include <cstdint>

// Every function touching AVX-512 registers carries the target attribute, so the rest of the
// project is compiled for the baseline x86-64 and these run only after Avx512Available().
#define ASC_AVX512 __attribute__((target("avx512f")))

namespace ascension::vision::tflite::kernels {
namespace {

constexpr int kPanel = 32;  // output channels per GEMM panel (two zmm registers)
constexpr int kBlock = 16;  // channels per depthwise block (one zmm register)

__mmask16 TailMask(int n) {
  return n >= 16 ? static_cast<__mmask16>(0xffff) : static_cast<__mmask16>((1u << n) - 1);
}

// ---- 1x1 convolution: an MR x (16 * NV) tile of the output, accumulators in registers. ----
//
// The sums are blocked like a BLAS GEMM: rows in chunks whose inputs stay in L2, input channels in
// chunks whose weights (one 32-channel panel) stay in L1. A chunk of input channels other than the
// first starts from the partial sums stored by the previous one and only the last one clamps (and
// adds the residual): every sum is still bias + in[0]*w[0] + in[1]*w[1] + ... in that order, in
// fp32, so the bits do not depend on the blocking.
constexpr std::size_t kChunkK = 256;      // input channels per pass: 32 KiB of a panel
constexpr std::size_t kChunkRows = 1024;  // rows per pass: at most 1 MiB of inputs

struct Chunk {
  std::size_t k = 0;  // input channels in this pass
  bool first = true;  // start from the bias (else from the partial sums in c)
  bool last = true;   // clamp, add the residual and store the result (else store partial sums)
  const float* next = nullptr;  // weights to prefetch into L2 meanwhile (2 lines per channel)
};

// `a`: the tile's first row at this chunk's first channel (rows lda apart); `w`: the chunk's
// first weight row of the panel (32 floats per channel); `bias`: the panel's bias row.
template <int MR, int NV>
ASC_AVX512 inline void PointwiseTile(const float* a, std::size_t lda, const float* w,
                                     const float* bias, const Chunk& chunk, float* c,
                                     const float* res, std::size_t ldc, __mmask16 m0, __mmask16 m1,
                                     __m512 lo, __m512 hi) {
  // With NV == 1 the second half of the panel is padding: acc1 is then unused and optimised out.
  __m512 acc0[MR], acc1[MR];
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    if (chunk.first) {
      acc0[i] = _mm512_load_ps(bias);
      acc1[i] = _mm512_load_ps(bias + 16);
    } else {
      acc0[i] = _mm512_maskz_loadu_ps(m0, c + i * ldc);
      acc1[i] = NV == 2 ? _mm512_maskz_loadu_ps(m1, c + i * ldc + 16) : acc0[i];
    }
  }
  const float* next = chunk.next;
  for (std::size_t kk = 0; kk < chunk.k; ++kk, w += kPanel) {
    if (next != nullptr) {
      _mm_prefetch(reinterpret_cast<const char*>(next + kk * kPanel), _MM_HINT_T1);
      _mm_prefetch(reinterpret_cast<const char*>(next + kk * kPanel + 16), _MM_HINT_T1);
    }
    const __m512 w0 = _mm512_load_ps(w);
    const __m512 w1 = _mm512_load_ps(w + 16);
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) {
      const __m512 x = _mm512_set1_ps(a[i * lda + kk]);
      acc0[i] = _mm512_fmadd_ps(x, w0, acc0[i]);
      if constexpr (NV == 2) acc1[i] = _mm512_fmadd_ps(x, w1, acc1[i]);
    }
  }
  if (!chunk.last) {
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) {
      _mm512_mask_storeu_ps(c + i * ldc, m0, acc0[i]);
      if constexpr (NV == 2) _mm512_mask_storeu_ps(c + i * ldc + 16, m1, acc1[i]);
    }
    return;
  }
  if (res != nullptr) {
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) {
      acc0[i] = _mm512_add_ps(acc0[i], _mm512_maskz_loadu_ps(m0, res + i * ldc));
      if constexpr (NV == 2) {
        acc1[i] = _mm512_add_ps(acc1[i], _mm512_maskz_loadu_ps(m1, res + i * ldc + 16));
      }
    }
  }
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    _mm512_mask_storeu_ps(c + i * ldc, m0, _mm512_min_ps(_mm512_max_ps(acc0[i], lo), hi));
    if constexpr (NV == 2) {
      _mm512_mask_storeu_ps(c + i * ldc + 16, m1, _mm512_min_ps(_mm512_max_ps(acc1[i], lo), hi));
    }
  }
}

// `rows` rows of one panel for one chunk of input channels; the first tile also prefetches
// chunk.next.
template <int NV>
ASC_AVX512 void PointwisePanel(const float* a, std::size_t lda, std::size_t rows, const float* w,
                               const float* bias, const Chunk& chunk, float* c, const float* res,
                               std::size_t ldc, __mmask16 m0, __mmask16 m1, __m512 lo, __m512 hi) {
  Chunk quiet = chunk;
  quiet.next = nullptr;
  auto at = [&](std::size_t r) { return res != nullptr ? res + r * ldc : nullptr; };
  std::size_t r = 0;
  for (; r + 8 <= rows; r += 8) {
    PointwiseTile<8, NV>(a + r * lda, lda, w, bias, r == 0 ? chunk : quiet, c + r * ldc, at(r), ldc,
                         m0, m1, lo, hi);
  }
  if (r + 4 <= rows) {
    PointwiseTile<4, NV>(a + r * lda, lda, w, bias, r == 0 ? chunk : quiet, c + r * ldc, at(r), ldc,
                         m0, m1, lo, hi);
    r += 4;
  }
  for (; r < rows; ++r) {
    PointwiseTile<1, NV>(a + r * lda, lda, w, bias, r == 0 ? chunk : quiet, c + r * ldc, at(r), ldc,
                         m0, m1, lo, hi);
  }
}

struct PointwiseJob {
  const float* packed;
  const float* in;
  const float* residual;
  float* out;
  std::size_t k, n;
  float lo, hi;
};

ASC_AVX512 void PointwiseRows(const PointwiseJob& job, std::size_t row, std::size_t rows) {
  const std::size_t panels = (job.n + kPanel - 1) / kPanel;
  const std::size_t panel_floats = (job.k + 1) * kPanel;
  const __m512 lo = _mm512_set1_ps(job.lo), hi = _mm512_set1_ps(job.hi);
  // Panel p's weights for input channel kk.
  auto weights = [&](std::size_t p, std::size_t kk) {
    return job.packed + p * panel_floats + (kk + 1) * kPanel;
  };
  for (std::size_t m0 = row; m0 < row + rows; m0 += kChunkRows) {
    const std::size_t count = std::min(kChunkRows, row + rows - m0);
    for (std::size_t k0 = 0; k0 < job.k; k0 += kChunkK) {
      Chunk chunk;
      chunk.k = std::min(kChunkK, job.k - k0);
      chunk.first = k0 == 0;
      chunk.last = k0 + chunk.k == job.k;
      for (std::size_t p = 0; p < panels; ++p) {
        // The weights the next panel (or the next chunk) reads, cold otherwise.
        chunk.next = p + 1 < panels ? weights(p + 1, k0)
                     : !chunk.last  ? weights(0, k0 + chunk.k)
                                    : nullptr;
        const int rem = static_cast<int>(std::min<std::size_t>(kPanel, job.n - p * kPanel));
        const float* a = job.in + m0 * job.k + k0;
        float* c = job.out + m0 * job.n + p * kPanel;
        const float* res =
            job.residual != nullptr ? job.residual + m0 * job.n + p * kPanel : nullptr;
        const float* bias = job.packed + p * panel_floats;
        if (rem > 16) {
          PointwisePanel<2>(a, job.k, count, weights(p, k0), bias, chunk, c, res, job.n,
                            TailMask(16), TailMask(rem - 16), lo, hi);
        } else {
          PointwisePanel<1>(a, job.k, count, weights(p, k0), bias, chunk, c, res, job.n,
                            TailMask(rem), 0, lo, hi);
        }
      }
    }
  }
}

void PointwiseTask(void* context, std::size_t row, std::size_t rows) {
  PointwiseRows(*static_cast<const PointwiseJob*>(context), row, rows);
}

// ---- Depthwise convolution: MR output pixels of one row and one 16-channel block. ----

struct DepthwiseJob {
  const DepthwiseConvolution::Shape* s;
  const float* packed;
  const float* bias;
  const float* in;
  float* out;
  float lo, hi;
};

// The input rows one output row reads, one per kernel row; rows [first, last) are inside the
// input, the others are padding.
template <int K>
struct Rows {
  const float* row[K];
  int first = 0, last = K;
};

// MR consecutive output pixels starting at ox. With CHECK, taps whose column falls in the padding
// are skipped; without, every column is inside the input. Skipping a padding tap leaves each sum
// as it is (XNNPACK adds 0 * w there instead): the taps that are added are added in the same
// order, column by column, so the results are identical.
template <int K, int S, int MR, bool CHECK>
ASC_AVX512 inline void DepthwiseTile(const Rows<K>& rows, int ox, int pad_left, int in_width,
                                     std::size_t c, const float* w, __m512 bias, __mmask16 mask,
                                     float* out, __m512 lo, __m512 hi) {
  __m512 acc[MR];
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) acc[i] = bias;
  if constexpr (!CHECK) {
    // Consecutive FMAs update different pixels, so they do not wait for each other.
    const std::ptrdiff_t step = static_cast<std::ptrdiff_t>(S) * static_cast<std::ptrdiff_t>(c);
    const std::ptrdiff_t x0 =
        static_cast<std::ptrdiff_t>(ox * S - pad_left) * static_cast<std::ptrdiff_t>(c);
#pragma GCC unroll 8
    for (int kx = 0; kx < K; ++kx) {
#pragma GCC unroll 8
      for (int ky = 0; ky < K; ++ky) {
        if (ky < rows.first || ky >= rows.last) continue;
        const __m512 wv = _mm512_load_ps(w + (ky * K + kx) * 16);
        const float* row = rows.row[ky] + x0 + kx * static_cast<std::ptrdiff_t>(c);
#pragma GCC unroll 16
        for (int i = 0; i < MR; ++i) {
          acc[i] = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, row + i * step), wv, acc[i]);
        }
      }
    }
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) {
      _mm512_mask_storeu_ps(out + i * c, mask, _mm512_min_ps(_mm512_max_ps(acc[i], lo), hi));
    }
    return;
  }
#pragma GCC unroll 8
  for (int kx = 0; kx < K; ++kx) {
    __m512 wv[K];
#pragma GCC unroll 8
    for (int ky = 0; ky < K; ++ky) wv[ky] = _mm512_load_ps(w + (ky * K + kx) * 16);
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) {
      const int ix = (ox + i) * S - pad_left + kx;
      if (CHECK && (ix < 0 || ix >= in_width)) continue;
      const std::ptrdiff_t col = static_cast<std::ptrdiff_t>(ix) * static_cast<std::ptrdiff_t>(c);
#pragma GCC unroll 8
      for (int ky = 0; ky < K; ++ky) {
        if (ky < rows.first || ky >= rows.last) continue;
        acc[i] = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, rows.row[ky] + col), wv[ky], acc[i]);
      }
    }
  }
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    _mm512_mask_storeu_ps(out + i * c, mask, _mm512_min_ps(_mm512_max_ps(acc[i], lo), hi));
  }
}

// Where one output row reads from: the K input rows (channel 0) and which of them are padding.
template <int K>
struct RowBand {
  const float* row[K];
  int first = 0, last = K;
};

// MR pixels of one output row from `ox`, for every channel block in turn: a tile's loads then
// step through memory 64 bytes at a time from one block to the next, which the prefetchers
// follow; the block's weights come from L1/L2.
template <int K, int S, int MR>
ASC_AVX512 void DepthwiseTiles(const DepthwiseJob& job, const RowBand<K>& band, int ox, bool inner,
                               float* out_row) {
  const auto& s = *job.s;
  const std::size_t c = static_cast<std::size_t>(s.channels);
  const int blocks = (s.channels + kBlock - 1) / kBlock;
  const __m512 lo = _mm512_set1_ps(job.lo), hi = _mm512_set1_ps(job.hi);
  Rows<K> rows;
  rows.first = band.first;
  rows.last = band.last;
  for (int cb = 0; cb < blocks; ++cb) {
    for (int ky = 0; ky < K; ++ky) rows.row[ky] = band.row[ky] + cb * kBlock;
    const __mmask16 mask = TailMask(s.channels - cb * kBlock);
    const float* w = job.packed + static_cast<std::size_t>(cb) * K * K * kBlock;
    const __m512 bias = _mm512_load_ps(job.bias + cb * kBlock);
    float* out = out_row + static_cast<std::size_t>(ox) * c + cb * kBlock;
    if (inner) {
      DepthwiseTile<K, S, MR, false>(rows, ox, s.pad_left, s.in_width, c, w, bias, mask, out, lo,
                                     hi);
    } else {
      DepthwiseTile<K, S, MR, true>(rows, ox, s.pad_left, s.in_width, c, w, bias, mask, out, lo,
                                    hi);
    }
  }
}

// One row of output: tiles of 8 pixels, then 4, then single pixels at the end.
template <int K, int S>
void DepthwiseRow(const DepthwiseJob& job, int oy) {
  const auto& s = *job.s;
  const std::size_t c = static_cast<std::size_t>(s.channels);
  RowBand<K> band;
  const int iy0 = oy * S - s.pad_top;
  band.first = std::clamp(-iy0, 0, K);
  band.last = std::clamp(s.in_height - iy0, band.first, K);
  for (int ky = 0; ky < K; ++ky) {
    const int iy = std::clamp(iy0 + ky, 0, s.in_height - 1);  // padding rows are never read
    band.row[ky] = job.in + static_cast<std::size_t>(iy) * s.in_width * c;
  }
  float* out_row = job.out + static_cast<std::size_t>(oy) * s.out_width * c;
  // Pixels [inner_begin, inner_end) read no padding column.
  const int inner_begin = std::min(s.out_width, (s.pad_left + S - 1) / S);
  const int inner_end =
      std::max(inner_begin, std::min(s.out_width, (s.in_width + s.pad_left - K) / S + 1));
  auto inner = [&](int ox, int mr) { return ox >= inner_begin && ox + mr <= inner_end; };
  int ox = 0;
  for (; ox + 8 <= s.out_width; ox += 8)
    DepthwiseTiles<K, S, 8>(job, band, ox, inner(ox, 8), out_row);
  if (ox + 4 <= s.out_width) {
    DepthwiseTiles<K, S, 4>(job, band, ox, inner(ox, 4), out_row);
    ox += 4;
  }
  for (; ox < s.out_width; ++ox) DepthwiseTiles<K, S, 1>(job, band, ox, inner(ox, 1), out_row);
}

void DepthwiseTask(void* context, std::size_t oy) {
  const auto& job = *static_cast<const DepthwiseJob*>(context);
  const int y = static_cast<int>(oy);
  switch (job.s->kernel * 10 + job.s->stride) {
    case 31:
      return DepthwiseRow<3, 1>(job, y);
    case 32:
      return DepthwiseRow<3, 2>(job, y);
    case 51:
      return DepthwiseRow<5, 1>(job, y);
    default:
      return DepthwiseRow<5, 2>(job, y);
  }
}

// Aligned storage for packed weights: std::vector's allocator gives 16-byte alignment only, so
// the packed arrays are over-allocated and used from their first 64-byte boundary.
float* Aligned(std::vector<float>& v) {
  auto p = reinterpret_cast<std::uintptr_t>(v.data());
  return reinterpret_cast<float*>((p + 63) & ~std::uintptr_t{63});
}
const float* Aligned(const std::vector<float>& v) {
  auto p = reinterpret_cast<std::uintptr_t>(v.data());
  return reinterpret_cast<const float*>((p + 63) & ~std::uintptr_t{63});
}

}  // namespace

bool Avx512Available() {
  static const bool available = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") != 0;
  }();
  return available;
}

std::unique_ptr<PointwiseConvolution> PointwiseConvolution::Create(std::span<const float> weights,
                                                                   std::span<const float> bias,
                                                                   int k, int n, float lo,
                                                                   float hi) {
  if (!Avx512Available() || k <= 0 || n <= 0 ||
      weights.size() != static_cast<std::size_t>(k) * static_cast<std::size_t>(n) ||
      (!bias.empty() && bias.size() != static_cast<std::size_t>(n))) {
    return nullptr;
  }
  std::unique_ptr<PointwiseConvolution> conv(new PointwiseConvolution);
  conv->k_ = k;
  conv->n_ = n;
  conv->lo_ = lo;
  conv->hi_ = hi;
  const std::size_t panels = (static_cast<std::size_t>(n) + kPanel - 1) / kPanel;
  const std::size_t panel_floats = (static_cast<std::size_t>(k) + 1) * kPanel;
  conv->packed_.assign(panels * panel_floats + 16, 0.f);
  float* dst = Aligned(conv->packed_);
  for (std::size_t p = 0; p < panels; ++p) {
    float* panel = dst + p * panel_floats;
    for (int j = 0; j < kPanel; ++j) {
      const std::size_t col = p * kPanel + j;
      if (col >= static_cast<std::size_t>(n)) break;
      panel[j] = bias.empty() ? 0.f : bias[col];
      for (int kk = 0; kk < k; ++kk) panel[kPanel * (kk + 1) + j] = weights[col * k + kk];
    }
  }
  return conv;
}

void PointwiseConvolution::Run(const float* in, std::size_t pixels, float* out, pthreadpool_t pool,
                               const float* residual) const {
  PointwiseJob job{Aligned(packed_),
                   in,
                   residual,
                   out,
                   static_cast<std::size_t>(k_),
                   static_cast<std::size_t>(n_),
                   lo_,
                   hi_};
  // A few tiles per thread so that threads finishing early can take more work.
  const std::size_t threads = std::max<std::size_t>(1, pthreadpool_get_threads_count(pool));
  const std::size_t tile =
      threads == 1 ? pixels : std::max<std::size_t>(8, (pixels / (threads * 4) + 7) / 8 * 8);
  pthreadpool_parallelize_1d_tile_1d(pool, PointwiseTask, &job, pixels, tile,
                                     PTHREADPOOL_FLAG_DISABLE_DENORMALS);
}

std::unique_ptr<DepthwiseConvolution> DepthwiseConvolution::Create(const Shape& s,
                                                                   std::span<const float> weights,
                                                                   std::span<const float> bias,
                                                                   float lo, float hi) {
  if (!Avx512Available() || (s.kernel != 3 && s.kernel != 5) || (s.stride != 1 && s.stride != 2) ||
      s.channels <= 0 || s.in_height <= 0 || s.in_width <= 0 || s.out_height <= 0 ||
      s.out_width <= 0 || s.pad_top < 0 || s.pad_left < 0 || s.pad_top >= s.kernel ||
      s.pad_left >= s.kernel) {
    return nullptr;
  }
  const std::size_t c = static_cast<std::size_t>(s.channels);
  const std::size_t taps = static_cast<std::size_t>(s.kernel) * s.kernel;
  if (weights.size() != taps * c || (!bias.empty() && bias.size() != c)) return nullptr;
  std::unique_ptr<DepthwiseConvolution> conv(new DepthwiseConvolution);
  conv->s_ = s;
  conv->lo_ = lo;
  conv->hi_ = hi;
  const std::size_t blocks = (c + kBlock - 1) / kBlock;
  conv->packed_.assign(blocks * taps * kBlock + 16, 0.f);
  conv->bias_.assign(blocks * kBlock + 16, 0.f);
  float* w = Aligned(conv->packed_);
  float* b = Aligned(conv->bias_);
  for (std::size_t ch = 0; ch < c; ++ch) {
    const std::size_t block = ch / kBlock, lane = ch % kBlock;
    b[ch] = bias.empty() ? 0.f : bias[ch];
    for (std::size_t t = 0; t < taps; ++t)
      w[(block * taps + t) * kBlock + lane] = weights[t * c + ch];
  }
  return conv;
}

void DepthwiseConvolution::Run(const float* in, float* out, pthreadpool_t pool) const {
  DepthwiseJob job{&s_, Aligned(packed_), Aligned(bias_), in, out, lo_, hi_};
  pthreadpool_parallelize_1d(pool, DepthwiseTask, &job, static_cast<std::size_t>(s_.out_height),
                             PTHREADPOOL_FLAG_DISABLE_DENORMALS);
}

}  // namespace ascension::vision::tflite::kernels

#pragma GCC diagnostic pop
