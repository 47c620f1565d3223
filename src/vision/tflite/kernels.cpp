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

// Stores an MR x (16 * NV) tile of sums clamped to [lo, hi] (XNNPACK's max-then-min order),
// rows ldc floats apart, with the masks of the panel's two halves.
template <int MR, int NV>
ASC_AVX512 inline void StoreClamped(const __m512* acc0, const __m512* acc1, float* c,
                                    std::size_t ldc, __mmask16 m0, __mmask16 m1, __m512 lo,
                                    __m512 hi) {
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    _mm512_mask_storeu_ps(c + i * ldc, m0, _mm512_min_ps(_mm512_max_ps(acc0[i], lo), hi));
    if constexpr (NV == 2) {
      _mm512_mask_storeu_ps(c + i * ldc + 16, m1, _mm512_min_ps(_mm512_max_ps(acc1[i], lo), hi));
    }
  }
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
  StoreClamped<MR, NV>(acc0, acc1, c, ldc, m0, m1, lo, hi);
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

// ---- Convolution over few input channels: MR pixels of an output row x one panel. ----

struct SmallJob {
  const SmallConvolution::Shape* s;
  const float* packed;
  const float* in;
  float* out;
  float lo, hi;
};

template <int MR, int NV, bool CHECK>
ASC_AVX512 inline void SmallTile(const SmallJob& job, int oy, int ox, const float* panel,
                                 float* out, __mmask16 m0, __mmask16 m1, __m512 lo, __m512 hi) {
  const auto& s = *job.s;
  const int cin = s.in_channels;
  __m512 acc0[MR], acc1[MR];
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    acc0[i] = _mm512_load_ps(panel);
    acc1[i] = _mm512_load_ps(panel + 16);
  }
  for (int ky = 0; ky < s.kernel_h; ++ky) {
    const int iy = oy * s.stride - s.pad_top + ky;
    if (iy < 0 || iy >= s.in_height) continue;
    const float* row = job.in + static_cast<std::size_t>(iy) * s.in_width * cin;
    for (int kx = 0; kx < s.kernel_w; ++kx) {
      const float* w = panel + kPanel * (1 + (ky * s.kernel_w + kx) * cin);
      const float* px[MR];
      bool valid[MR];
#pragma GCC unroll 16
      for (int i = 0; i < MR; ++i) {
        const int ix = (ox + i) * s.stride - s.pad_left + kx;
        valid[i] = !CHECK || (ix >= 0 && ix < s.in_width);
        px[i] = row + static_cast<std::ptrdiff_t>(valid[i] ? ix : 0) * cin;
      }
      for (int ci = 0; ci < cin; ++ci, w += kPanel) {
        const __m512 w0 = _mm512_load_ps(w);
        const __m512 w1 = _mm512_load_ps(w + 16);
#pragma GCC unroll 16
        for (int i = 0; i < MR; ++i) {
          if (CHECK && !valid[i]) continue;
          const __m512 x = _mm512_set1_ps(px[i][ci]);
          acc0[i] = _mm512_fmadd_ps(x, w0, acc0[i]);
          if constexpr (NV == 2) acc1[i] = _mm512_fmadd_ps(x, w1, acc1[i]);
        }
      }
    }
  }
  StoreClamped<MR, NV>(acc0, acc1, out, static_cast<std::size_t>(s.out_channels), m0, m1, lo, hi);
}

template <int NV>
ASC_AVX512 void SmallRowPanel(const SmallJob& job, int oy, const float* panel, float* out_row,
                              __mmask16 m0, __mmask16 m1) {
  const auto& s = *job.s;
  const __m512 lo = _mm512_set1_ps(job.lo), hi = _mm512_set1_ps(job.hi);
  const std::size_t ldc = static_cast<std::size_t>(s.out_channels);
  // Pixels [inner_begin, inner_end) have every tap column inside the input.
  const int inner_begin = std::min(s.out_width, (s.pad_left + s.stride - 1) / s.stride);
  const int inner_end = std::max(
      inner_begin, std::min(s.out_width, (s.in_width + s.pad_left - s.kernel_w) / s.stride + 1));
  int ox = 0;
  for (; ox + 8 <= s.out_width; ox += 8) {
    if (ox >= inner_begin && ox + 8 <= inner_end) {
      SmallTile<8, NV, false>(job, oy, ox, panel, out_row + ox * ldc, m0, m1, lo, hi);
    } else {
      SmallTile<8, NV, true>(job, oy, ox, panel, out_row + ox * ldc, m0, m1, lo, hi);
    }
  }
  for (; ox < s.out_width; ++ox) {
    SmallTile<1, NV, true>(job, oy, ox, panel, out_row + ox * ldc, m0, m1, lo, hi);
  }
}

void SmallTask(void* context, std::size_t oy) {
  const auto& job = *static_cast<const SmallJob*>(context);
  const auto& s = *job.s;
  const std::size_t k = static_cast<std::size_t>(s.kernel_h) * s.kernel_w * s.in_channels;
  const std::size_t panel_floats = (k + 1) * kPanel;
  const int panels = (s.out_channels + kPanel - 1) / kPanel;
  float* out_row = job.out + oy * static_cast<std::size_t>(s.out_width) * s.out_channels;
  for (int p = 0; p < panels; ++p) {
    const int rem = std::min(kPanel, s.out_channels - p * kPanel);
    const float* panel = job.packed + p * panel_floats;
    if (rem > 16) {
      SmallRowPanel<2>(job, static_cast<int>(oy), panel, out_row + p * kPanel, TailMask(16),
                       TailMask(rem - 16));
    } else {
      SmallRowPanel<1>(job, static_cast<int>(oy), panel, out_row + p * kPanel, TailMask(rem), 0);
    }
  }
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

// Two consecutive output rows of MR pixels at stride 1: they read K + 1 input rows, K - 1 of them
// shared, so each input vector loaded serves both rows (a third fewer loads for 3x3, 36 % for
// 5x5). Each accumulator still receives its taps column by column, top to bottom: the same sums
// as DepthwiseTile. rows.row has K + 1 entries; rows [first, last) are inside the input.
template <int K>
struct PairRows {
  const float* row[K + 1];
  int first = 0, last = K + 1;
};

template <int K, int MR, bool CHECK>
ASC_AVX512 inline void DepthwisePairTile(const PairRows<K>& rows, int ox, int pad_left,
                                         int in_width, std::size_t c, const float* w, __m512 bias,
                                         __mmask16 mask, float* out0, float* out1, __m512 lo,
                                         __m512 hi) {
  __m512 acc0[MR], acc1[MR];
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) acc0[i] = acc1[i] = bias;
  const auto ci = static_cast<std::ptrdiff_t>(c);
#pragma GCC unroll 8
  for (int kx = 0; kx < K; ++kx) {
    if constexpr (!CHECK) {
      const std::ptrdiff_t x0 = static_cast<std::ptrdiff_t>(ox - pad_left + kx) * ci;
#pragma GCC unroll 8
      for (int r = 0; r <= K; ++r) {
        if (r < rows.first || r >= rows.last) continue;
        const float* row = rows.row[r] + x0;
        const __m512 w0 = r < K ? _mm512_load_ps(w + (r * K + kx) * 16) : bias;
        const __m512 w1 = r > 0 ? _mm512_load_ps(w + ((r - 1) * K + kx) * 16) : bias;
#pragma GCC unroll 16
        for (int i = 0; i < MR; ++i) {
          const __m512 x = _mm512_maskz_loadu_ps(mask, row + i * ci);
          if (r < K) acc0[i] = _mm512_fmadd_ps(x, w0, acc0[i]);
          if (r > 0) acc1[i] = _mm512_fmadd_ps(x, w1, acc1[i]);
        }
      }
    } else {
      __m512 wv[K];
#pragma GCC unroll 8
      for (int ky = 0; ky < K; ++ky) wv[ky] = _mm512_load_ps(w + (ky * K + kx) * 16);
#pragma GCC unroll 16
      for (int i = 0; i < MR; ++i) {
        const int ix = ox + i - pad_left + kx;
        if (ix < 0 || ix >= in_width) continue;
        const std::ptrdiff_t col = static_cast<std::ptrdiff_t>(ix) * ci;
#pragma GCC unroll 8
        for (int r = 0; r <= K; ++r) {
          if (r < rows.first || r >= rows.last) continue;
          const __m512 x = _mm512_maskz_loadu_ps(mask, rows.row[r] + col);
          if (r < K) acc0[i] = _mm512_fmadd_ps(x, wv[r], acc0[i]);
          if (r > 0) acc1[i] = _mm512_fmadd_ps(x, wv[r > 0 ? r - 1 : 0], acc1[i]);
        }
      }
    }
  }
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    _mm512_mask_storeu_ps(out0 + i * c, mask, _mm512_min_ps(_mm512_max_ps(acc0[i], lo), hi));
    _mm512_mask_storeu_ps(out1 + i * c, mask, _mm512_min_ps(_mm512_max_ps(acc1[i], lo), hi));
  }
}

template <int K, int MR>
ASC_AVX512 void DepthwisePairTiles(const DepthwiseJob& job, const PairRows<K>& band, int ox,
                                   bool inner, float* out_row0, float* out_row1) {
  const auto& s = *job.s;
  const std::size_t c = static_cast<std::size_t>(s.in_channels);
  const int blocks = (s.in_channels + kBlock - 1) / kBlock;
  const __m512 lo = _mm512_set1_ps(job.lo), hi = _mm512_set1_ps(job.hi);
  PairRows<K> rows;
  rows.first = band.first;
  rows.last = band.last;
  for (int cb = 0; cb < blocks; ++cb) {
    for (int r = 0; r <= K; ++r) rows.row[r] = band.row[r] + cb * kBlock;
    const __mmask16 mask = TailMask(s.in_channels - cb * kBlock);
    const float* w = job.packed + static_cast<std::size_t>(cb) * K * K * kBlock;
    const __m512 bias = _mm512_load_ps(job.bias + cb * kBlock);
    const std::size_t at = static_cast<std::size_t>(ox) * c + cb * kBlock;
    if (inner) {
      DepthwisePairTile<K, MR, false>(rows, ox, s.pad_left, s.in_width, c, w, bias, mask,
                                      out_row0 + at, out_row1 + at, lo, hi);
    } else {
      DepthwisePairTile<K, MR, true>(rows, ox, s.pad_left, s.in_width, c, w, bias, mask,
                                     out_row0 + at, out_row1 + at, lo, hi);
    }
  }
}

// Output rows 2p and 2p + 1 at stride 1.
template <int K>
void DepthwisePair(const DepthwiseJob& job, int pair) {
  const auto& s = *job.s;
  const std::size_t c = static_cast<std::size_t>(s.in_channels);
  const int oy = 2 * pair;
  PairRows<K> band;
  const int iy0 = oy - s.pad_top;
  band.first = std::clamp(-iy0, 0, K + 1);
  band.last = std::clamp(s.in_height - iy0, band.first, K + 1);
  for (int r = 0; r <= K; ++r) {
    const int iy = std::clamp(iy0 + r, 0, s.in_height - 1);  // padding rows are never read
    band.row[r] = job.in + static_cast<std::size_t>(iy) * s.in_width * c;
  }
  float* out0 = job.out + static_cast<std::size_t>(oy) * s.out_width * c;
  float* out1 = out0 + static_cast<std::size_t>(s.out_width) * c;
  const int inner_begin = std::min(s.out_width, s.pad_left);
  const int inner_end =
      std::max(inner_begin, std::min(s.out_width, s.in_width + s.pad_left - K + 1));
  auto inner = [&](int ox, int mr) { return ox >= inner_begin && ox + mr <= inner_end; };
  int ox = 0;
  for (; ox + 8 <= s.out_width; ox += 8) {
    DepthwisePairTiles<K, 8>(job, band, ox, inner(ox, 8), out0, out1);
  }
  if (ox + 4 <= s.out_width) {
    DepthwisePairTiles<K, 4>(job, band, ox, inner(ox, 4), out0, out1);
    ox += 4;
  }
  for (; ox < s.out_width; ++ox) DepthwisePairTiles<K, 1>(job, band, ox, inner(ox, 1), out0, out1);
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
  const std::size_t c = static_cast<std::size_t>(s.in_channels);
  const int blocks = (s.in_channels + kBlock - 1) / kBlock;
  const __m512 lo = _mm512_set1_ps(job.lo), hi = _mm512_set1_ps(job.hi);
  Rows<K> rows;
  rows.first = band.first;
  rows.last = band.last;
  for (int cb = 0; cb < blocks; ++cb) {
    for (int ky = 0; ky < K; ++ky) rows.row[ky] = band.row[ky] + cb * kBlock;
    const __mmask16 mask = TailMask(s.in_channels - cb * kBlock);
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
  const std::size_t c = static_cast<std::size_t>(s.in_channels);
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

// Task i: at stride 1, output rows 2i and 2i + 1 (the last alone when the count is odd); at
// stride 2, output row i.
void DepthwiseTask(void* context, std::size_t i) {
  const auto& job = *static_cast<const DepthwiseJob*>(context);
  const int y = static_cast<int>(i);
  const bool pair = 2 * y + 1 < job.s->out_height;
  switch (job.s->kernel_h * 10 + job.s->stride) {
    case 31:
      return pair ? DepthwisePair<3>(job, y) : DepthwiseRow<3, 1>(job, 2 * y);
    case 32:
      return DepthwiseRow<3, 2>(job, y);
    case 51:
      return pair ? DepthwisePair<5>(job, y) : DepthwiseRow<5, 1>(job, 2 * y);
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

std::unique_ptr<SmallConvolution> SmallConvolution::Create(const Shape& s,
                                                           std::span<const float> weights,
                                                           std::span<const float> bias, float lo,
                                                           float hi) {
  if (!Avx512Available() || s.in_channels < 1 || s.in_channels > kMaxInputChannels ||
      s.out_channels < 1 || s.kernel_h < 1 || s.kernel_w < 1 || s.kernel_h > 7 || s.kernel_w > 7 ||
      s.stride < 1 || s.stride > 2 || s.in_height < 1 || s.in_width < 1 || s.out_height < 1 ||
      s.out_width < 1 || s.pad_top < 0 || s.pad_left < 0 || s.pad_top >= s.kernel_h ||
      s.pad_left >= s.kernel_w) {
    return nullptr;
  }
  const std::size_t k = static_cast<std::size_t>(s.kernel_h) * s.kernel_w * s.in_channels;
  const std::size_t n = static_cast<std::size_t>(s.out_channels);
  if (weights.size() != k * n || (!bias.empty() && bias.size() != n)) return nullptr;
  std::unique_ptr<SmallConvolution> conv(new SmallConvolution);
  conv->s_ = s;
  conv->lo_ = lo;
  conv->hi_ = hi;
  const std::size_t panels = (n + kPanel - 1) / kPanel;
  const std::size_t panel_floats = (k + 1) * kPanel;
  conv->packed_.assign(panels * panel_floats + 16, 0.f);
  float* dst = Aligned(conv->packed_);
  for (std::size_t col = 0; col < n; ++col) {
    float* panel = dst + (col / kPanel) * panel_floats;
    const std::size_t j = col % kPanel;
    panel[j] = bias.empty() ? 0.f : bias[col];
    for (std::size_t kk = 0; kk < k; ++kk) panel[kPanel * (kk + 1) + j] = weights[col * k + kk];
  }
  return conv;
}

void SmallConvolution::Run(const float* in, float* out, pthreadpool_t pool) const {
  SmallJob job{&s_, Aligned(packed_), in, out, lo_, hi_};
  pthreadpool_parallelize_1d(pool, SmallTask, &job, static_cast<std::size_t>(s_.out_height),
                             PTHREADPOOL_FLAG_DISABLE_DENORMALS);
}

std::unique_ptr<DepthwiseConvolution> DepthwiseConvolution::Create(const Shape& s,
                                                                   std::span<const float> weights,
                                                                   std::span<const float> bias,
                                                                   float lo, float hi) {
  if (!Avx512Available() || (s.kernel_h != 3 && s.kernel_h != 5) || s.kernel_w != s.kernel_h ||
      s.out_channels != s.in_channels || (s.stride != 1 && s.stride != 2) || s.in_channels <= 0 ||
      s.in_height <= 0 || s.in_width <= 0 || s.out_height <= 0 || s.out_width <= 0 ||
      s.pad_top < 0 || s.pad_left < 0 || s.pad_top >= s.kernel_h || s.pad_left >= s.kernel_h) {
    return nullptr;
  }
  const std::size_t c = static_cast<std::size_t>(s.in_channels);
  const std::size_t taps = static_cast<std::size_t>(s.kernel_h) * s.kernel_h;
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
  const auto rows = static_cast<std::size_t>(s_.out_height);
  pthreadpool_parallelize_1d(pool, DepthwiseTask, &job, s_.stride == 1 ? (rows + 1) / 2 : rows,
                             PTHREADPOOL_FLAG_DISABLE_DENORMALS);
}

}  // namespace ascension::vision::tflite::kernels

#pragma GCC diagnostic pop
