// The renderer's per-frame block loops (src/render/trace.ts traceBlocks, src/render/warp.ts
// warpJawBlocks with mouth-map.ts mouthStretchAt and mapMouthSmooth, src/render/sample.ts
// sampleBlocks, src/render/pixels.ts drawJawBlocks) in C++. They must give the very bytes the TypeScript gives:
// every sum is computed in double precision in the same order (IEEE-754 doubles, as JavaScript;
// -ffp-contract=off so no fused multiply-add changes a rounding), float32 weights widened to
// double as a Float32Array read does, and stores truncate as a Uint8Array store does for the
// values in range here. test/unit/render-passes.test.ts compares the two on the same input.
#include <napi.h>

#include <array>
#include <cmath>
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <ctime>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace {

// The element pointer straight from the view: frames live in SharedArrayBuffers, which
// napi_get_arraybuffer_info refuses (it takes plain ArrayBuffers only).
template <typename T>
T* Data(const Napi::Value& v) {
  void* data = nullptr;
  napi_get_typedarray_info(v.Env(), v, nullptr, nullptr, &data, nullptr, nullptr);
  return static_cast<T*>(data);
}

inline uint8_t U8(double v) { return static_cast<uint8_t>(static_cast<int32_t>(v)); }

// traceBlocks(n, xs, ys, bs, weight, depth, body, motion | null, qx, qy)
// motion: Float64Array [a11, a12, a21, a22, tx, ty, sx, sy, pivotX, pivotY]
Napi::Value TraceBlocks(const Napi::CallbackInfo& info) {
  const int n = info[0].As<Napi::Number>().Int32Value();
  const int32_t* xs = Data<int32_t>(info[1]);
  const int32_t* ys = Data<int32_t>(info[2]);
  const int32_t* bs = Data<int32_t>(info[3]);
  const float* weight = Data<float>(info[4]);
  const float* depth = Data<float>(info[5]);
  const float* body = Data<float>(info[6]);
  double* qx = Data<double>(info[8]);
  double* qy = Data<double>(info[9]);
  if (info[7].IsNull()) {
    for (int i = 0; i < n; i++) { qx[i] = xs[i] + 0.5; qy[i] = ys[i] + 0.5; }
    return info.Env().Undefined();
  }
  const double* m = Data<double>(info[7]);
  const double a11 = m[0], a12 = m[1], a21 = m[2], a22 = m[3], tx = m[4], ty = m[5], sx = m[6], sy = m[7], pvx = m[8], pvy = m[9];
  for (int i = 0; i < n; i++) {
    const double x = xs[i] + 0.5, y = ys[i] + 0.5;
    const int b = bs[i];
    const double w = weight[b], wd = depth[b], wb = body[b];
    const double px = x - pvx, py = y - pvy;
    qx[i] = x - (w * (a11 * px + a12 * py + tx) + wd * sx + wb * tx);
    qy[i] = y - (w * (a21 * px + a22 * py + ty) + wd * sy + wb * ty);
  }
  return info.Env().Undefined();
}

// Math.max over four numbers: NaN if any is NaN.
inline double JsMax4(double a, double b, double c, double d) {
  if (std::isnan(a) || std::isnan(b) || std::isnan(c) || std::isnan(d)) return NAN;
  double m = a;
  if (b > m) m = b;
  if (c > m) m = c;
  if (d > m) m = d;
  return m;
}

// The mouth warp's displacement grid (mouth-config.ts MouthWarp.gridX/gridY).
struct Grid {
  const float *gx, *gy;
  int cols, rows;
  double x0, y0, step;
};

// warp.ts warpJawBlock: mouth-map.ts mouthStretchAt, then mapMouthSmooth where the block is not squeezed.
inline void WarpJawBlock(const Grid& g, double maxStretch, uint8_t block, uint8_t pixels, double* qx, double* qy, uint8_t* action) {
  const double x = *qx, y = *qy;
  const double gx = (x - g.x0) / g.step, gy = (y - g.y0) / g.step;
  // Outside the grid the warp is no stretch and no move (mouthStretchAt 0, mapMouthSmooth identity).
  if (gx < 0 || gy < 0 || gx >= g.cols - 1 || gy >= g.rows - 1) { *action = block; return; }
  const int gi = static_cast<int>(gx), gj = static_cast<int>(gy);
  const int k = gj * g.cols + gi, c = g.cols;
  const double xk = g.gx[k], xk1 = g.gx[k + 1], xkn = g.gx[k + c], xkn1 = g.gx[k + c + 1];
  const double yk = g.gy[k], yk1 = g.gy[k + 1], ykn = g.gy[k + c], ykn1 = g.gy[k + c + 1];
  const double stretch = JsMax4(std::fabs(xk1 - xk), std::fabs(xkn - xk), std::fabs(yk1 - yk), std::fabs(ykn - yk)) / g.step;
  if (stretch > maxStretch) { *action = pixels; return; }
  *action = block;
  const double fx = gx - gi, fy = gy - gj;
  const double a = xk + (xk1 - xk) * fx, b = xkn + (xkn1 - xkn) * fx;
  const double cc = yk + (yk1 - yk) * fx, d = ykn + (ykn1 - ykn) * fx;
  *qx = x + a + (b - a) * fy;
  *qy = y + cc + (d - cc) * fy;
}

// warpJawBlocks(n, jaw, qx, qy, action, gridX, gridY, cols, rows, x0, y0, step, maxStretch, block, pixels)
Napi::Value WarpJawBlocks(const Napi::CallbackInfo& info) {
  const int n = info[0].As<Napi::Number>().Int32Value();
  const int32_t* jaw = Data<int32_t>(info[1]);
  double* qx = Data<double>(info[2]);
  double* qy = Data<double>(info[3]);
  uint8_t* action = Data<uint8_t>(info[4]);
  const Grid g{Data<float>(info[5]), Data<float>(info[6]), info[7].As<Napi::Number>().Int32Value(), info[8].As<Napi::Number>().Int32Value(),
               info[9].As<Napi::Number>().DoubleValue(), info[10].As<Napi::Number>().DoubleValue(), info[11].As<Napi::Number>().DoubleValue()};
  const double maxStretch = info[12].As<Napi::Number>().DoubleValue();
  const uint8_t block = static_cast<uint8_t>(info[13].As<Napi::Number>().Int32Value());
  const uint8_t pixels = static_cast<uint8_t>(info[14].As<Napi::Number>().Int32Value());
  for (int m = 0; m < n; m++) { const int i = jaw[m]; WarpJawBlock(g, maxStretch, block, pixels, qx + i, qy + i, action + i); }
  return info.Env().Undefined();
}


// mouth-map.ts mapMouthSmooth: (x, y) moved by the grid's displacement, interpolated bilinearly.
inline void MapSmooth(const Grid& g, double x, double y, double* sx, double* sy) {
  *sx = x; *sy = y;
  const double gx = (x - g.x0) / g.step, gy = (y - g.y0) / g.step;
  if (gx < 0 || gy < 0 || gx >= g.cols - 1 || gy >= g.rows - 1) return;
  const int i = static_cast<int>(gx), j = static_cast<int>(gy);
  const double fx = gx - i, fy = gy - j;
  const int k = j * g.cols + i, n = g.cols;
  const double a = g.gx[k] + (static_cast<double>(g.gx[k + 1]) - g.gx[k]) * fx, b = g.gx[k + n] + (static_cast<double>(g.gx[k + n + 1]) - g.gx[k + n]) * fx;
  const double c = g.gy[k] + (static_cast<double>(g.gy[k + 1]) - g.gy[k]) * fx, d = g.gy[k + n] + (static_cast<double>(g.gy[k + n + 1]) - g.gy[k + n]) * fx;
  *sx = x + a + (b - a) * fy;
  *sy = y + c + (d - c) * fy;
}

// sample.ts samplePlane: bilinear, clamped to the edge.
inline double SamplePlane(const uint8_t* p, int width, int height, double x, double y) {
  if (x < 0) x = 0; else if (x > width - 1.001) x = width - 1.001;
  if (y < 0) y = 0; else if (y > height - 1.001) y = height - 1.001;
  const int x0 = static_cast<int>(x), y0 = static_cast<int>(y);
  const double fx = x - x0, fy = y - y0;
  const int i = y0 * width + x0;
  const double a = p[i] + (static_cast<double>(p[i + 1]) - p[i]) * fx;
  const double b = p[i + width] + (static_cast<double>(p[i + width + 1]) - p[i + width]) * fx;
  return a + (b - a) * fy;
}

// drawJawBlocks(n, positions, action, qx, qy, xs, ys, gridX, gridY, cols, rows, x0, y0, step, pixels,
//   width, height, srcY, srcU, srcV, outY, outU, outV)
Napi::Value DrawJawBlocks(const Napi::CallbackInfo& info) {
  const int n = info[0].As<Napi::Number>().Int32Value();
  const int32_t* positions = Data<int32_t>(info[1]);
  const uint8_t* action = Data<uint8_t>(info[2]);
  const double* qx = Data<double>(info[3]);
  const double* qy = Data<double>(info[4]);
  const int32_t* xs = Data<int32_t>(info[5]);
  const int32_t* ys = Data<int32_t>(info[6]);
  const Grid g{Data<float>(info[7]), Data<float>(info[8]), info[9].As<Napi::Number>().Int32Value(), info[10].As<Napi::Number>().Int32Value(),
               info[11].As<Napi::Number>().DoubleValue(), info[12].As<Napi::Number>().DoubleValue(), info[13].As<Napi::Number>().DoubleValue()};
  const uint8_t pixels = static_cast<uint8_t>(info[14].As<Napi::Number>().Int32Value());
  const int width = info[15].As<Napi::Number>().Int32Value(), height = info[16].As<Napi::Number>().Int32Value();
  const uint8_t *sY = Data<uint8_t>(info[17]), *sU = Data<uint8_t>(info[18]), *sV = Data<uint8_t>(info[19]);
  uint8_t *oY = Data<uint8_t>(info[20]), *oU = Data<uint8_t>(info[21]), *oV = Data<uint8_t>(info[22]);
  const int cw = width >> 1, ch = height >> 1;
  for (int m = 0; m < n; m++) {
    const int i = positions[m];
    if (action[i] != pixels) continue;
    const int x0 = xs[i], y0 = ys[i];
    const double hx = qx[i] - (x0 + 0.5), hy = qy[i] - (y0 + 0.5);
    double sumX = 0, sumY = 0;
    for (int k = 0; k < 4; k++) {
      const int x = x0 + (k & 1), y = y0 + (k >> 1);
      double sx, sy;
      MapSmooth(g, x + hx, y + hy, &sx, &sy);
      oY[y * width + x] = U8(SamplePlane(sY, width, height, sx, sy) + 0.5);
      sumX += sx; sumY += sy;
    }
    const double cx = (sumX * 0.25 - 0.5) * 0.5, cy = (sumY * 0.25 - 0.5) * 0.5;
    const int ci = (y0 >> 1) * cw + (x0 >> 1);
    oU[ci] = U8(SamplePlane(sU, cw, ch, cx, cy) + 0.5);
    oV[ci] = U8(SamplePlane(sV, cw, ch, cx, cy) + 0.5);
  }
  return info.Env().Undefined();
}

struct Planes {
  int width, height;
  const uint8_t *y, *u, *v;
};

// sample.ts sampleBlockInto.
inline void SampleBlock(const Planes& s, double qx, double qy, uint8_t* dy, int d, uint8_t* du, uint8_t* dv, int c) {
  const int width = s.width, height = s.height, cw = width >> 1, ch = height >> 1;
  double tx = qx - 0.5, ty = qy - 0.5;
  if (tx < 0) tx = 0; else if (tx > width - 2.001) tx = width - 2.001;
  if (ty < 0) ty = 0; else if (ty > height - 2.001) ty = height - 2.001;
  const int ix = static_cast<int>(tx), iy = static_cast<int>(ty);
  const double ax = tx - ix, ay = ty - iy;
  const uint8_t* p = s.y + iy * width + ix;
  const double p00 = p[0], p01 = p[1], p02 = p[2];
  const double p10 = p[width], p11 = p[width + 1], p12 = p[width + 2];
  const double p20 = p[2 * width], p21 = p[2 * width + 1], p22 = p[2 * width + 2];
  const double h00 = p00 + (p01 - p00) * ax, h01 = p01 + (p02 - p01) * ax;
  const double h10 = p10 + (p11 - p10) * ax, h11 = p11 + (p12 - p11) * ax;
  const double h20 = p20 + (p21 - p20) * ax, h21 = p21 + (p22 - p21) * ax;
  dy[d] = U8(h00 + (h10 - h00) * ay + 0.5);
  dy[d + 1] = U8(h01 + (h11 - h01) * ay + 0.5);
  dy[d + width] = U8(h10 + (h20 - h10) * ay + 0.5);
  dy[d + width + 1] = U8(h11 + (h21 - h11) * ay + 0.5);
  double cx = (qx - 0.5) * 0.5, cy = (qy - 0.5) * 0.5;
  if (cx < 0) cx = 0; else if (cx > cw - 1.001) cx = cw - 1.001;
  if (cy < 0) cy = 0; else if (cy > ch - 1.001) cy = ch - 1.001;
  const int jx = static_cast<int>(cx), jy = static_cast<int>(cy);
  const double bx = cx - jx, by = cy - jy;
  const int k = jy * cw + jx;
  const double u0 = s.u[k] + (static_cast<double>(s.u[k + 1]) - s.u[k]) * bx, u1 = s.u[k + cw] + (static_cast<double>(s.u[k + cw + 1]) - s.u[k + cw]) * bx;
  const double v0 = s.v[k] + (static_cast<double>(s.v[k + 1]) - s.v[k]) * bx, v1 = s.v[k + cw] + (static_cast<double>(s.v[k + cw + 1]) - s.v[k + cw]) * bx;
  du[c] = U8(u0 + (u1 - u0) * by + 0.5);
  dv[c] = U8(v0 + (v1 - v0) * by + 0.5);
}

#if defined(__x86_64__)
// SampleBlock on four blocks at once, lane by lane the same double-precision operations in the
// same order (no fused multiply-add: -ffp-contract=off, and none is asked for), so the bytes
// are SampleBlock's: the clamps as min/max (equal for the numbers here: no NaN, and -0 or +0
// give the same sums), truncation as cvttpd, the 3x3 luma and 2x2 chroma neighbourhoods read
// as four-byte gathers. The caller keeps the reads inside the planes (see SampleBlocks).
#pragma GCC push_options
#pragma GCC target("avx2")
// p + (q - p) * t, lane by lane.
inline __m256d lerp(__m256d p, __m256d q, __m256d t) { return _mm256_add_pd(p, _mm256_mul_pd(_mm256_sub_pd(q, p), t)); }

void SampleFour(const Planes& s, const double* qx, const double* qy, const int* d, const int* c, uint8_t* oY, uint8_t* oU, uint8_t* oV) {
  const int width = s.width, height = s.height, cw = width >> 1, ch = height >> 1;
  const __m256d half = _mm256_set1_pd(0.5), zero = _mm256_setzero_pd();
  const __m256d x = _mm256_loadu_pd(qx), y = _mm256_loadu_pd(qy);
  const __m256d tx = _mm256_min_pd(_mm256_max_pd(_mm256_sub_pd(x, half), zero), _mm256_set1_pd(width - 2.001));
  const __m256d ty = _mm256_min_pd(_mm256_max_pd(_mm256_sub_pd(y, half), zero), _mm256_set1_pd(height - 2.001));
  const __m128i ix = _mm256_cvttpd_epi32(tx), iy = _mm256_cvttpd_epi32(ty);
  const __m256d ax = _mm256_sub_pd(tx, _mm256_cvtepi32_pd(ix)), ay = _mm256_sub_pd(ty, _mm256_cvtepi32_pd(iy));
  const __m128i a = _mm_add_epi32(_mm_mullo_epi32(iy, _mm_set1_epi32(width)), ix);
  const int* py = reinterpret_cast<const int*>(s.y);
  const __m128i byte = _mm_set1_epi32(0xff);
  // Row r's three pixels as doubles.
  const auto row = [&](int r, __m256d* p0, __m256d* p1, __m256d* p2) {
    const __m128i w = _mm_i32gather_epi32(py, _mm_add_epi32(a, _mm_set1_epi32(r * width)), 1);
    *p0 = _mm256_cvtepi32_pd(_mm_and_si128(w, byte));
    *p1 = _mm256_cvtepi32_pd(_mm_and_si128(_mm_srli_epi32(w, 8), byte));
    *p2 = _mm256_cvtepi32_pd(_mm_and_si128(_mm_srli_epi32(w, 16), byte));
  };
  __m256d p00, p01, p02, p10, p11, p12, p20, p21, p22;
  row(0, &p00, &p01, &p02); row(1, &p10, &p11, &p12); row(2, &p20, &p21, &p22);
  const __m256d h00 = lerp(p00, p01, ax), h01 = lerp(p01, p02, ax);
  const __m256d h10 = lerp(p10, p11, ax), h11 = lerp(p11, p12, ax);
  const __m256d h20 = lerp(p20, p21, ax), h21 = lerp(p21, p22, ax);
  alignas(16) int32_t r00[4], r01[4], r10[4], r11[4], ru[4], rv[4];
  _mm_store_si128(reinterpret_cast<__m128i*>(r00), _mm256_cvttpd_epi32(_mm256_add_pd(lerp(h00, h10, ay), half)));
  _mm_store_si128(reinterpret_cast<__m128i*>(r01), _mm256_cvttpd_epi32(_mm256_add_pd(lerp(h01, h11, ay), half)));
  _mm_store_si128(reinterpret_cast<__m128i*>(r10), _mm256_cvttpd_epi32(_mm256_add_pd(lerp(h10, h20, ay), half)));
  _mm_store_si128(reinterpret_cast<__m128i*>(r11), _mm256_cvttpd_epi32(_mm256_add_pd(lerp(h11, h21, ay), half)));
  const __m256d cx = _mm256_min_pd(_mm256_max_pd(_mm256_mul_pd(_mm256_sub_pd(x, half), half), zero), _mm256_set1_pd(cw - 1.001));
  const __m256d cy = _mm256_min_pd(_mm256_max_pd(_mm256_mul_pd(_mm256_sub_pd(y, half), half), zero), _mm256_set1_pd(ch - 1.001));
  const __m128i jx = _mm256_cvttpd_epi32(cx), jy = _mm256_cvttpd_epi32(cy);
  const __m256d bx = _mm256_sub_pd(cx, _mm256_cvtepi32_pd(jx)), by = _mm256_sub_pd(cy, _mm256_cvtepi32_pd(jy));
  const __m128i k = _mm_add_epi32(_mm_mullo_epi32(jy, _mm_set1_epi32(cw)), jx), kDown = _mm_add_epi32(k, _mm_set1_epi32(cw));
  const auto chroma = [&](const uint8_t* plane, int32_t* out) {
    const int* p = reinterpret_cast<const int*>(plane);
    const __m128i w0 = _mm_i32gather_epi32(p, k, 1), w1 = _mm_i32gather_epi32(p, kDown, 1);
    const __m256d q00 = _mm256_cvtepi32_pd(_mm_and_si128(w0, byte)), q01 = _mm256_cvtepi32_pd(_mm_and_si128(_mm_srli_epi32(w0, 8), byte));
    const __m256d q10 = _mm256_cvtepi32_pd(_mm_and_si128(w1, byte)), q11 = _mm256_cvtepi32_pd(_mm_and_si128(_mm_srli_epi32(w1, 8), byte));
    const __m256d top = lerp(q00, q01, bx), bottom = lerp(q10, q11, bx);
    _mm_store_si128(reinterpret_cast<__m128i*>(out), _mm256_cvttpd_epi32(_mm256_add_pd(lerp(top, bottom, by), half)));
  };
  chroma(s.u, ru); chroma(s.v, rv);
  for (int l = 0; l < 4; l++) {
    uint8_t* o = oY + d[l];
    o[0] = static_cast<uint8_t>(r00[l]); o[1] = static_cast<uint8_t>(r01[l]);
    o[width] = static_cast<uint8_t>(r10[l]); o[width + 1] = static_cast<uint8_t>(r11[l]);
    oU[c[l]] = static_cast<uint8_t>(ru[l]); oV[c[l]] = static_cast<uint8_t>(rv[l]);
  }
}
#pragma GCC pop_options
const bool kHasAvx2 = __builtin_cpu_supports("avx2");
#else
void SampleFour(const Planes&, const double*, const double*, const int*, const int*, uint8_t*, uint8_t*, uint8_t*) {}
const bool kHasAvx2 = false;
#endif

// sampleBlocks(n, xs, ys, bs, action, qx, qy, width, height, srcY, srcU, srcV, bgY, bgU, bgV, outY, outU, outV, fresh)
Napi::Value SampleBlocks(const Napi::CallbackInfo& info) {
  const int n = info[0].As<Napi::Number>().Int32Value();
  const int32_t* xs = Data<int32_t>(info[1]);
  const int32_t* ys = Data<int32_t>(info[2]);
  const int32_t* bs = Data<int32_t>(info[3]);
  const uint8_t* action = Data<uint8_t>(info[4]);
  const double* qx = Data<double>(info[5]);
  const double* qy = Data<double>(info[6]);
  const int width = info[7].As<Napi::Number>().Int32Value(), height = info[8].As<Napi::Number>().Int32Value();
  const Planes src{width, height, Data<uint8_t>(info[9]), Data<uint8_t>(info[10]), Data<uint8_t>(info[11])};
  const uint8_t *bgY = Data<uint8_t>(info[12]), *bgU = Data<uint8_t>(info[13]), *bgV = Data<uint8_t>(info[14]);
  uint8_t *oY = Data<uint8_t>(info[15]), *oU = Data<uint8_t>(info[16]), *oV = Data<uint8_t>(info[17]);
  uint8_t* fresh = Data<uint8_t>(info[18]);
  const int cw = width >> 1;
  const auto moved = [&](int i) {
    return !(std::fabs(qx[i] - (xs[i] + 0.5)) < 0.02 && std::fabs(qy[i] - (ys[i] + 0.5)) < 0.02);
  };
  const auto one = [&](int i) {
    const int b = bs[i];
    if (action[i] != 0) { fresh[b] = 1; return; }
    const int x0 = xs[i], y0 = ys[i], d = y0 * width + x0, c = (y0 >> 1) * cw + (x0 >> 1);
    if (!moved(i)) {
      oY[d] = bgY[d]; oY[d + 1] = bgY[d + 1]; oY[d + width] = bgY[d + width]; oY[d + width + 1] = bgY[d + width + 1];
      oU[c] = bgU[c]; oV[c] = bgV[c];
      fresh[b] = 0;
    } else {
      SampleBlock(src, qx[i], qy[i], oY, d, oU, oV, c);
      fresh[b] = 1;
    }
  };
  int i = 0;
  if (kHasAvx2) {
    // Four moved blocks at a time; a group with a copied or per-pixel block, or reaching the
    // frame's last rows (the four-byte reads would pass the planes' end), goes one by one.
    const double lowest = height - 5;
    for (; i + 4 <= n; i += 4) {
      bool four = true;
      for (int k = i; k < i + 4 && four; k++) four = action[k] == 0 && qy[k] < lowest && moved(k);
      if (!four) { for (int k = i; k < i + 4; k++) one(k); continue; }
      int d[4], c[4];
      for (int k = 0; k < 4; k++) {
        d[k] = ys[i + k] * width + xs[i + k];
        c[k] = (ys[i + k] >> 1) * cw + (xs[i + k] >> 1);
        fresh[bs[i + k]] = 1;
      }
      SampleFour(src, qx + i, qy + i, d, c, oY, oU, oV);
    }
  }
  for (; i < n; i++) one(i);
  return info.Env().Undefined();
}

// JavaScript's (a < lo ? lo : a > hi ? hi : a), core/geometry.ts clamp.
inline double Clamp(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }
// Math.min / Math.max of two numbers (NaN if either is; as here the operands are never -0 and +0 at once).
inline double JsMin(double a, double b) { return std::isnan(a) || std::isnan(b) ? NAN : (a < b ? a : b); }
inline double JsMax(double a, double b) { return std::isnan(a) || std::isnan(b) ? NAN : (a > b ? a : b); }
// core/geometry.ts smoothstep.
inline double Smoothstep(double e0, double e1, double x) {
  const double t = Clamp((x - e0) / (e1 - e0), 0, 1);
  return t * t * (3 - 2 * t);
}

// Math.cos as V8 computes it (fdlibm's cos: its kernels and the first step of its argument
// reduction, enough for |x| < 3 pi / 4), so the gaze's cos^2 is the TypeScript's to the bit; the
// C library's cos differs in the last bit for a few percent of arguments. JsCosInRange says
// whether JsCos serves x. From fdlibm: Copyright (C) 1993 by Sun Microsystems, Inc. All rights
// reserved. Developed at SunPro, a Sun Microsystems, Inc. business. Permission to use, copy,
// modify, and distribute this software is freely granted, provided that this notice is preserved.
inline uint32_t HighWord(double x) { uint64_t b; std::memcpy(&b, &x, 8); return static_cast<uint32_t>(b >> 32); }
inline double FromHighWord(uint32_t h) { const uint64_t b = static_cast<uint64_t>(h) << 32; double x; std::memcpy(&x, &b, 8); return x; }
inline bool JsCosInRange(double x) { return (HighWord(x) & 0x7fffffff) <= 0x4002d97c; }

double KernelCos(double x, double y) {
  const double C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03, C3 = 2.48015872894767294178e-05,
               C4 = -2.75573143513906633035e-07, C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;
  const uint32_t ix = HighWord(x) & 0x7fffffff;
  if (ix < 0x3e400000 && static_cast<int>(x) == 0) return 1.0;
  const double z = x * x;
  const double r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  if (ix < 0x3FD33333) return 1.0 - (0.5 * z - (z * r - x * y));
  const double qx = ix > 0x3fe90000 ? 0.28125 : FromHighWord(ix - 0x00200000);
  const double hz = 0.5 * z - qx, a = 1.0 - qx;
  return a - (hz - (z * r - x * y));
}

double KernelSin(double x, double y) {
  const double S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03, S3 = -1.98412698298579493134e-04,
               S4 = 2.75573137070700676789e-06, S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;
  const uint32_t ix = HighWord(x) & 0x7fffffff;
  if (ix < 0x3e400000 && static_cast<int>(x) == 0) return x;
  const double z = x * x, v = z * x, r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  return x - ((z * (0.5 * y - v * r) - y) - v * S1);
}

double JsCos(double x) {
  const double pio2_1 = 1.57079632673412561417e+00, pio2_1t = 6.07710050650619224932e-11;
  const double pio2_2 = 6.07710050630396597660e-11, pio2_2t = 2.02226624879595063154e-21;
  const uint32_t hx = HighWord(x), ix = hx & 0x7fffffff;
  if (ix <= 0x3fe921fb) return KernelCos(x, 0);
  double z, y0, y1;
  if (!(hx >> 31)) {
    z = x - pio2_1;
    if (ix != 0x3ff921fb) { y0 = z - pio2_1t; y1 = (z - y0) - pio2_1t; } else { z -= pio2_2; y0 = z - pio2_2t; y1 = (z - y0) - pio2_2t; }
    return -KernelSin(y0, y1);
  }
  z = x + pio2_1;
  if (ix != 0x3ff921fb) { y0 = z + pio2_1t; y1 = (z - y0) + pio2_1t; } else { z += pio2_2; y0 = z + pio2_2t; y1 = (z - y0) + pio2_2t; }
  return KernelSin(y0, y1);
}

// jsCos(x: Float64Array, out: Float64Array): JsCos of each (for the test against Math.cos; NaN out of range).
Napi::Value JsCosAll(const Napi::CallbackInfo& info) {
  const Napi::Float64Array in = info[0].As<Napi::Float64Array>();
  const double* x = Data<double>(info[0]);
  double* out = Data<double>(info[1]);
  for (size_t i = 0; i < in.ElementLength(); i++) out[i] = JsCosInRange(x[i]) ? JsCos(x[i]) : NAN;
  return info.Env().Undefined();
}

struct Table {
  const float* p;
  int n;
};

// sample.ts profileAt.
inline double ProfileAt(const Table& p, double width, double u) {
  const double pos = (u / width + 0.5) * (p.n - 1);
  const double i = Clamp(std::floor(pos), 0, p.n - 2);
  const double t = Clamp(pos - i, 0, 1);
  const int k = static_cast<int>(i);
  return p.p[k] + (static_cast<double>(p.p[k + 1]) - p.p[k]) * t;
}

// Float32Array `i` of the array `arrays` (an empty one where the scene has no such table).
inline Table TableOf(const Napi::Array& arrays, uint32_t i) {
  const Napi::Value v = arrays.Get(i);
  return Table{Data<float>(v), static_cast<int>(v.As<Napi::TypedArray>().ElementLength())};
}

struct Box {
  double x, y, w, h;
  bool Has(double px, double py) const { return px >= x && px < x + w && py >= y && py < y + h; }
};

// What one per-pixel trace gives: map.ts PixelSource.
struct Source {
  double x, y, dark;
  // 0 = the sampled colour; up to 1 = the drawn colour (cy, cu, cv) over it.
  double cover, cy, cu, cv;
  // map.ts PixelSource split, eye, qx, qy: a closing human lid's pixel, drawn from three rows.
  bool split = false;
  int eye = 0;
  double qx = 0, qy = 0;
};

// mouth-interior.ts MouthPalette.
struct Palette {
  double cavity[3], teeth[3], tongue[3];
  double shadeBase, shadeLow, shadeUp, shadeCorner, tongueGain, tongueCut, tongueShade, lineWidth, line[3], edgeSoft;
};

inline double Lerp(double a, double b, double t) { return a + (b - a) * t; }
// Math.round: to the nearest integer, halves up.
inline double JsRound(double x) {
  const double r = std::floor(x);
  return x - r >= 0.5 ? r + 1 : r;
}

// mouth-interior.ts UPPER_TEETH, LOWER_TEETH, TOOTH_GROOVE, TOOTH_ROUND, toothBump.
const std::array<double, 6> kUpperTeeth = {0, 0.233, 0.411, 0.548, 0.658, 0.742};
const std::array<double, 5> kLowerTeeth = {0, 0.145, 0.3, 0.47, 0.633};
constexpr double kToothGroove = 0.88, kToothRound = 0.14;

template <size_t N>
double ToothBump(const std::array<double, N>& edges, double a) {
  for (size_t k = 1; k < N; k++) {
    if (a < edges[k]) {
      const double f = (a - edges[k - 1]) / (edges[k] - edges[k - 1]);
      return 4 * f * (1 - f);
    }
  }
  return 0;
}

// mouth-interior.ts interiorInto: the drawn interior's colour into s->cy/cu/cv.
void InteriorInto(const Palette& p, double W, double tu, double depth, double gapPx, bool upperTeeth, bool lowerTeeth, Source* s, double top) {
  const double fromBottom = gapPx - depth, below = depth - top, open = gapPx - top;
  const double nearLow = 1 - Smoothstep(0, JsMax(1.5, 0.35 * open), fromBottom);
  const double nearUp = top > 0 ? 0 : 1 - Smoothstep(0, JsMax(1.5, 0.3 * open), below);
  const double shade = (p.shadeBase + p.shadeLow * nearLow + p.shadeUp * nearUp) * (1 - p.shadeCorner * JsMin(1, tu * tu));
  const double* c = p.cavity;
  const double across = 1 - JsMin(1, (tu * tu) / 0.55);
  const double teethH = JsMin(0.085 * W, 0.55 * gapPx);
  double tongue = 0, teeth = 0, teethShade = 0;
  if (upperTeeth && top == 0 && across > 0 && depth < teethH + 1) {
    const double bump = ToothBump(kUpperTeeth, std::fabs(tu));
    const double edge = teethH * (1 - (0.18 * tu * tu) / 0.55) * (0.95 + 0.05 * bump);
    teeth = 1 - Smoothstep(edge - 0.8, edge + 0.8, depth);
    teethShade = (0.5 + 0.42 * across) * (1 - 0.25 * Smoothstep(edge * 0.6, edge, depth))
      * (0.72 + 0.28 * Smoothstep(0, 0.3 * edge, depth)) * (kToothGroove + kToothRound * bump);
  }
  const double acrossLow = 1 - JsMin(1, (tu * tu) / 0.4);
  const double lowH = top > 0 ? JsMin(0.07 * W, 0.45 * open) * Smoothstep(1, 4, open) : JsMin(0.06 * W, 0.3 * open) * Smoothstep(0.06 * W, 0.16 * W, open);
  if (lowerTeeth && teeth == 0 && acrossLow > 0 && lowH > 0.5 && fromBottom < lowH + 1) {
    teeth = (1 - Smoothstep(lowH - 1, lowH + 0.6, fromBottom)) * Smoothstep(0, 0.25, acrossLow);
    teethShade = (0.45 + 0.3 * acrossLow) * (0.75 + 0.25 * Smoothstep(0, 0.5 * lowH, lowH - fromBottom))
      * (kToothGroove + kToothRound * ToothBump(kLowerTeeth, std::fabs(tu)));
  }
  if (open > 0.1 * W && std::fabs(tu) < 0.6) {
    tongue = Clamp(p.tongueGain * (Smoothstep(0.45, 0.85, below / JsMax(1, open)) * (1 - std::fabs(tu) / 0.6) - p.tongueCut), 0, 1);
  }
  const double *t = p.tongue, *th = p.teeth;
  const double ts = p.tongueShade;
  double ty = Lerp(c[0] * shade, t[0] * ts, tongue), tu2 = Lerp(c[1] * shade, t[1] * ts, tongue), tv = Lerp(c[2] * shade, t[2] * ts, tongue);
  if (p.lineWidth > 0) {
    const double line = 1 - Smoothstep(p.lineWidth - 0.5, p.lineWidth + 0.5, JsMin(depth, fromBottom));
    ty = Lerp(ty, p.line[0], line); tu2 = Lerp(tu2, p.line[1], line); tv = Lerp(tv, p.line[2], line);
  }
  s->cy = 16 + Lerp(ty, th[0] * teethShade, teeth);
  s->cu = 128 + Lerp(tu2, th[1] * teethShade, teeth);
  s->cv = 128 + Lerp(tv, th[2] * teethShade, teeth);
}

// mouth-config.ts MouthWarp, as edgeScene (kernels.ts) packs it.
struct Mouth {
  Box box;
  double zoneHalfU, zoneTop, zoneBottom;
  Grid grid;
  double maxStretch;
  double noseHeight, lipTop, jawHalfWidth, chinDepth, neckFall, frameV, lipBlend, foldFree;
  Table upSmooth;
  double cx, cy, ax, ay, width, uMin, uMax, vMin, vMax;
  int rows, cols;
  double shiftGain, smileGain;
  bool sourceTeeth, human;
  Palette palette;
  Table vProfile, uProfile, cornerProfile, top, bottom, upperInv, lowerInv, upIn, lowIn, teethDepth;
};

// eyes.ts EyeWarp, as edgeScene packs it.
struct Eye {
  Box box, lid;
  double cx, cy, ax, ay, width, vTop, vBrow, vBottom, aperture, blink, browLift, shiftU, shiftV, irisWidth, irisU, coverMin, coverTop, coverEnd, lowerRise, coverAtLid, slideFur;
  Table upperLid, lowerLid, lashBand, lidTone, lidTexture, creaseHeight, creaseDepth, creaseHold, shutFill, lidToneLow, lashShow;
  int texCols, texRows;
};

// eyes.ts EYE's numbers the per-pixel trace uses.
struct EyeConst {
  double closeReach, lashClosed, unfoldTop, lidShade, lidShadeSpan, lashWidth, lashDarken, browHalfLength, lidCover, lidCoverDark;
  // The picture the lids were measured on (rgb) and yuv.ts's luma weights, for the lid skin's cover.
  const uint8_t* base;
  int baseWidth, baseHeight;
  double kr, kg, kb, ys;
  double lashTone, closedFrom, closedEnd;
  double creaseWidth, creaseTravel, creaseShadow, creaseFaint, creaseEnd, creaseMirror, creaseBelow;
  double lidCoverAbove, lidCoverBelow;
  // yuv.ts yuvOf's chroma scales, and EYE.furSpan: an animal's lid is its fur slid down (eyes.ts furAt).
  double cb, cr, furSpan;
  // EYE.lidCoverFast: how much faster the cover grows over a strand across the lid (eyes.ts strandAt).
  double lidCoverFast;
};

// mouth-map.ts mapMouth; without `colour` (the grid's displacements only), no drawn interior colour.
void MapMouth(const Mouth& w, double x, double y, Source* s, bool colour = true) {
  const double ax = w.ax, ay = w.ay;
  const double dx = x - w.cx, dy = y - w.cy;
  double u = dx * ax + dy * ay;
  double v = dy * ax - dx * ay;
  s->x = x; s->y = y; s->cover = 0;
  if (u <= w.uMin || u >= w.uMax || v <= w.vMin || v >= w.vMax - 1) return;
  const int rows = w.rows, cols = w.cols;
  const double colScale = (cols - 1) / (w.uMax - w.uMin);
  double rv = v - w.vMin;
  int r0 = std::min(rows - 2, static_cast<int>(rv));
  double fv = rv - r0;
  if (w.shiftGain != 0 || w.smileGain != 0) {
    const double cu0 = (u - w.uMin) * colScale;
    const int k0 = std::min(cols - 2, static_cast<int>(cu0));
    const double f0 = cu0 - k0;
    const float *vp = w.vProfile.p, *up = w.uProfile.p, *cp = w.cornerProfile.p;
    const double near = vp[r0] + (static_cast<double>(vp[r0 + 1]) - vp[r0]) * fv;
    const double prof = up[k0] + (static_cast<double>(up[k0 + 1]) - up[k0]) * f0;
    u -= w.shiftGain * prof * near;
    if (w.smileGain != 0) {
      v += w.smileGain * (cp[k0] + (static_cast<double>(cp[k0 + 1]) - cp[k0]) * f0) * near;
      if (v >= w.vMax - 1) v = w.vMax - 1.001;
      rv = v - w.vMin;
      r0 = std::min(rows - 2, static_cast<int>(rv)); fv = rv - r0;
    }
  }
  const double cu = Clamp((u - w.uMin) * colScale, 0, cols - 1.001);
  const int c0 = static_cast<int>(cu);
  const double fu = cu - c0;
  const float *tp = w.top.p, *bt = w.bottom.p;
  const double top = tp[c0] + (static_cast<double>(tp[c0 + 1]) - tp[c0]) * fu;
  const double bottom = bt[c0] + (static_cast<double>(bt[c0 + 1]) - bt[c0]) * fu;
  const double gap = bottom - top;
  double vs, cover = 0, teethTop = 0;
  if (v < top || v > bottom || gap < 0.05) {
    const float* table = v - top < bottom - v ? w.upperInv.p : w.lowerInv.p;
    const int i0 = c0 * rows + r0, i1 = i0 + rows;
    const double a = table[i0] + (static_cast<double>(table[i0 + 1]) - table[i0]) * fv;
    const double b = table[i1] + (static_cast<double>(table[i1 + 1]) - table[i1]) * fv;
    vs = a + (b - a) * fu;
    if (!w.sourceTeeth && gap >= 0.05) cover = Clamp((JsMin(v - top, bottom - v) + 0.5) / w.palette.edgeSoft, 0, 1) * Clamp(gap, 0, 1);
  } else {
    const float *ui = w.upIn.p, *li = w.lowIn.p, *td = w.teethDepth.p;
    const double up = ui[c0] + (static_cast<double>(ui[c0 + 1]) - ui[c0]) * fu;
    const double low = li[c0] + (static_cast<double>(li[c0 + 1]) - li[c0]) * fu;
    const double src = w.sourceTeeth ? JsMin(JsMax(0, low - up), td[c0] + (static_cast<double>(td[c0 + 1]) - td[c0]) * fu) : 0;
    const double d = v - top, e = bottom - v;
    if (src > 0) {
      const double soft = JsMax(1.5, 0.04 * w.width);
      vs = d < e ? up + JsMin(d, src) : low;
      cover = Smoothstep(src - soft, src + soft, d) * Clamp(e + 0.5, 0, 1) * Clamp(gap, 0, 1);
    } else {
      vs = d < e ? up : low;
      cover = Clamp((JsMin(d, e) + 0.5) / w.palette.edgeSoft, 0, 1) * Clamp(gap, 0, 1);
    }
    teethTop = src;
  }
  s->x = w.cx + u * ax - vs * ay;
  s->y = w.cy + u * ay + vs * ax;
  if (cover > 0 && colour) {
    s->cover = cover;
    InteriorInto(w.palette, w.width, u / (w.width / 2), Clamp(v - top, 0, gap), gap, w.human && !w.sourceTeeth, w.human, s, JsMin(teethTop, gap));
  }
}

// eyes.ts toneAt: channel ch of the lid tone at u.
inline double ToneAt(const Table& tone, double width, double u, int ch) {
  const int n = tone.n / 3;
  const double pos = Clamp((u / width + 0.5) * (n - 1), 0, n - 1);
  const double i = JsMin(n - 2, std::floor(pos)), t = pos - i;
  const int k = static_cast<int>(i);
  return tone.p[3 * k + ch] + (static_cast<double>(tone.p[3 * (k + 1) + ch]) - tone.p[3 * k + ch]) * t;
}

// eyes.ts baseYuv's pixel: the picture's rgb at the pixel nearest source point (x, y).
inline const uint8_t* BasePixel(const EyeConst& E, double x, double y) {
  const int xi = static_cast<int>(Clamp(JsRound(x), 0, E.baseWidth - 1)), yi = static_cast<int>(Clamp(JsRound(y), 0, E.baseHeight - 1));
  return E.base + (static_cast<size_t>(yi) * E.baseWidth + xi) * 3;
}

// eyes.ts baseLuma: the picture's luma (limited range) at the pixel nearest source point (x, y).
double BaseLuma(const EyeConst& E, double x, double y) {
  const uint8_t* px = BasePixel(E, x, y);
  return 16 + E.ys * (E.kr * px[0] + E.kg * px[1] + E.kb * px[2]);
}

// eyes.ts strandAt.
inline double StrandAt(const Eye& w, const EyeConst& E, double x, double y, double l) {
  const double ax = 2 * w.ax, ay = 2 * w.ay;
  const double side = (BaseLuma(E, x - ax, y - ay) + BaseLuma(E, x + ax, y + ay)) / 2;
  return Clamp(std::fabs(l - side) / E.lidCoverDark, 0, 1);
}

// eyes.ts lidToneAt.
inline double LidToneAt(const Eye& w, double u, int ch, double toEdge) {
  const double top = ToneAt(w.lidTone, w.width, u, ch);
  return w.lidToneLow.n > 0 && toEdge > 0 ? top + toEdge * (ToneAt(w.lidToneLow, w.width, u, ch) - top) : top;
}

// eyes.ts lidCover.
void LidCover(const Eye& w, const EyeConst& E, double u, double cover, double shade, int texRow, double toEdge, double fast, Source* s, double furV) {
  if (w.slideFur != 0) {
    const uint8_t* px = BasePixel(E, w.cx + u * w.ax - furV * w.ay, w.cy + u * w.ay + furV * w.ax);
    const double l = E.kr * px[0] + E.kg * px[1] + E.kb * px[2];
    const double fy = 16 + E.ys * l;
    s->cover = cover;
    s->cy = 16 + (fy - 16) * shade;
    s->cu = 128 + E.cb * (px[2] - l);
    s->cv = 128 + E.cr * (px[0] - l);
    return;
  }
  const double toneY = LidToneAt(w, u, 0, toEdge);
  const double srcY = BaseLuma(E, s->x, s->y);
  const double min = w.coverMin * Smoothstep(w.width / 2, w.width / 2 - w.coverEnd, std::fabs(u));
  const double off = Clamp(std::fabs(toneY - srcY) / E.lidCoverDark, 0, 1);
  s->cover = JsMin(1, cover * (min + (1 - min) * off) * (fast > 0 ? 1 + fast * StrandAt(w, E, s->x, s->y, srcY) : 1));
  const double detail = w.lidTexture.p[texRow * w.texCols + static_cast<int>(Clamp(JsRound(u + w.width / 2), 0, w.texCols - 1))];
  s->cy = 16 + (toneY + detail - 16) * shade;
  s->cu = LidToneAt(w, u, 1, toEdge);
  s->cv = LidToneAt(w, u, 2, toEdge);
}

// eyes.ts lashLine.
void LashLine(const Eye& w, const EyeConst& E, double u, double cover, Source* s) {
  const double lashY = 16 + (ToneAt(w.lidTone, w.width, u, 0) - 16) * E.lashTone;
  s->cover = cover * Clamp((BaseLuma(E, s->x, s->y) - lashY) / E.lidCoverDark, 0, 1);
  s->cy = lashY;
  s->cu = 128 + (ToneAt(w.lidTone, w.width, u, 1) - 128) * E.lashTone;
  s->cv = 128 + (ToneAt(w.lidTone, w.width, u, 2) - 128) * E.lashTone;
}

// eyes.ts furAt.
inline double FurAt(const Eye& w, const EyeConst& E, double lashTop, double d) {
  const double span = JsMax(JsMax(1, lashTop - w.vTop), E.furSpan * w.aperture), r = std::fmod(std::fabs(d), 2 * span);
  return r <= span ? lashTop - r : lashTop - 2 * span + r;
}

// eyes.ts unfolded.
inline double Unfolded(const EyeConst& E, double vTop, double t, double from, double to) {
  const double a = JsMin(to / JsMax(1e-3, from), E.unfoldTop);
  return vTop + from * (a * t + (1 - a) * t * t);
}

// eyes.ts textureRow.
inline int TextureRow(const Eye& w, double v) {
  const int row = static_cast<int>(std::floor(v - w.vTop)) % (2 * w.texRows);
  return row >= w.texRows ? 2 * w.texRows - 1 - row : row;
}

// eyes.ts darkenEdge.
void DarkenEdge(const Eye& w, const EyeConst& E, double u, double v, double up, double low, double lidEdge, double shade, Source* s) {
  const double lash = JsMax(1, E.lashWidth * w.irisWidth);
  const double blinking = Smoothstep(0.2, 0.6, w.blink);
  if (blinking > 0 && v < lidEdge + 0.5 && v > lidEdge - lash) {
    const double lashing = blinking * ProfileAt(w.lashShow, w.width, u);
    s->dark = shade * (1 - E.lashDarken * lashing * (1 - (lidEdge - v) / lash) * Clamp((low - up) / 2, 0, 1));
  }
}

// eyes.ts foldLid.
void FoldLid(const Eye& w, const EyeConst& E, double u, double v, double up, double lidEdge, double travel, Source* s) {
  const double W = w.width;
  const double low = ProfileAt(w.lowerLid, W, u);
  const double hw = JsMax(0.75, E.creaseWidth * w.irisWidth);
  const double crease = ProfileAt(w.creaseHeight, W, u);
  const double lash = ProfileAt(w.lashBand, W, u);
  const double band = JsMax(0.5, JsMin(lash, crease - hw));
  const double line = band + travel * (E.lashClosed * w.irisWidth - band);
  const double lashTop = up - band, skinEnd = lidEdge - JsMax(0.5, line);
  const double creaseAt = JsMin(up - crease, lashTop);
  const double held = ProfileAt(w.creaseHold, W, u) * Smoothstep(W / 2, W / 2 - E.creaseEnd * W, std::fabs(u));
  const double folded = creaseAt + E.creaseTravel * (lidEdge - up);
  const double fold = JsMax(creaseAt, JsMin(folded + (1 - held) * (skinEnd - folded), skinEnd - 0.5));
  const double bandTop = JsMin(up - lash, creaseAt), over = creaseAt - bandTop, overDrawn = over * (1 - travel);
  double vs, shade = 1, cover = 0, lashCover = 0, fast = 0;
  int texRow = 0;
  bool split = true;
  const double opened = JsMin(1, E.creaseMirror * travel);
  if (v >= skinEnd) {
    vs = lashTop + ((v - skinEnd) * band) / JsMax(0.5, line);
    const double root = Clamp(1 + E.lashClosed * w.irisWidth - (lidEdge - v), 0, 1);
    if (root > 0) lashCover = travel * root * ProfileAt(w.lashShow, W, u);
    else { cover = travel; shade = 1 - E.lidShade * travel; }
  } else {
    if (v >= fold) {
      const double below = held * JsMin(E.creaseBelow * hw, lashTop - creaseAt);
      const double shown = JsMin(lashTop - creaseAt - below, skinEnd - fold);
      const double under = JsMin(below, skinEnd - fold - shown);
      split = v >= skinEnd - 1.5 || v < fold + under + hw + 1 || std::fabs(v - skinEnd + shown) < 1;
      cover = travel;
      if (v >= skinEnd - shown) vs = lashTop - (skinEnd - v);
      else if (v < fold + under) {
        vs = lashTop - shown - under + (v - fold);
        cover = opened;
      } else {
        const double top = bandTop - E.creaseShadow * W, from = creaseAt + below;
        const double mirrored = top - (v - fold - under) * JsMin(1, (top - w.vTop) / JsMax(0.5, skinEnd - shown - fold - under));
        vs = from + (mirrored - from) * opened;
      }
    } else if (v >= fold - overDrawn) {
      vs = JsMin(creaseAt, bandTop + ((v - fold + overDrawn) * over) / JsMax(0.5, overDrawn));
      cover = opened;
    } else {
      const double from = bandTop - w.vTop, to = fold - overDrawn - w.vTop;
      vs = Unfolded(E, w.vTop, (v - w.vTop) / to, from, to);
      split = v > fold - overDrawn - hw - 1;
      fast = E.lidCoverFast;
      cover = JsMax(travel * Smoothstep(0, w.coverTop, (v - w.vTop) / (skinEnd - w.vTop)), opened * Smoothstep(bandTop - E.creaseShadow * W, bandTop, vs));
    }
    const double t = (v - w.vTop) / (skinEnd - w.vTop);
    shade = 1 - E.lidShade * travel * Smoothstep(1 - E.lidShadeSpan, 1, t);
    texRow = TextureRow(w, v);
  }
  s->x = w.cx + u * w.ax - vs * w.ay;
  s->y = w.cy + u * w.ay + vs * w.ax;
  s->dark = shade; s->split = split;
  if (cover > 0) {
    LidCover(w, E, u, cover, shade, texRow, 0, fast, s, 0);
    const double onLine = 1 - std::fabs(v - fold) / hw;
    if (onLine > 0) {
      const double depth = ProfileAt(w.creaseDepth, W, u) * (1 - travel) + E.creaseFaint * (ToneAt(w.lidTone, W, u, 0) - 16) * travel;
      s->cy -= depth * onLine * held;
    }
  } else if (lashCover > 0) LashLine(w, E, u, lashCover, s);
  DarkenEdge(w, E, u, v, up, low, lidEdge, shade, s);
}

// eyes.ts mapEye.
void MapEye(const Eye& w, const EyeConst& E, double x, double y, Source* s) {
  const double half = w.width / 2;
  const double ax = w.ax, ay = w.ay;
  const double dx = x - w.cx, dy = y - w.cy;
  const double u = dx * ax + dy * ay;
  const double v = dy * ax - dx * ay;
  s->x = x; s->y = y; s->dark = 1; s->cover = 0; s->split = false;
  if (v <= w.vTop) {
    if (w.browLift == 0 || v <= w.vBrow) return;
    const double W = w.width;
    const double along = 1 - Smoothstep(0.5 * W, E.browHalfLength * W, std::fabs(u));
    const double up = Smoothstep(w.vTop, w.vTop - 0.35 * W, v) * (1 - Smoothstep(w.vTop - 0.7 * W, w.vBrow, v));
    const double lift = w.browLift * along * up;
    if (lift == 0) return;
    s->x = x - lift * w.ay;
    s->y = y + lift * w.ax;
    return;
  }
  if (u <= -half || u >= half || v >= w.vBottom) return;
  const double up = ProfileAt(w.upperLid, w.width, u);
  const double low = ProfileAt(w.lowerLid, w.width, u);
  const double b = w.blink, rise = w.lowerRise;
  const double open = JsMax(0, low - up);
  const double lidEdge = up + b * E.closeReach * (1 - rise) * open + b * ProfileAt(w.shutFill, w.width, u);
  const double lowEdge = low - b * E.closeReach * rise * open;
  s->split = w.creaseHeight.n > 0 ? lidEdge > up && v < lidEdge + 0.5 : (lidEdge > up && std::fabs(v - lidEdge) < 1) || (lowEdge < low && std::fabs(v - lowEdge) < 1);
  double us = u, vs = v;
  double shade = 1, cover = 0, lashCover = 0, toEdge = 0, lashTop = 0, skinEnd = 0;
  int texRow = 0;
  if (v < lidEdge && lidEdge > up) {
    const double moved = Clamp((lidEdge - up) / (E.closeReach * (1 - rise) * w.aperture), 0, 1);
    const double shut = Smoothstep(E.closedFrom, 1, b) * Smoothstep(half, half - E.closedEnd * w.width, std::fabs(u));
    const double travel = moved + (1 - moved) * shut;
    if (w.creaseHeight.n > 0) {
      FoldLid(w, E, u, v, up, lidEdge, travel, s);
      return;
    }
    const double lash = ProfileAt(w.lashBand, w.width, u);
    const double line = lash + travel * (E.lashClosed * w.irisWidth - lash);
    lashTop = up - lash; skinEnd = lidEdge - JsMax(0.5, line);
    if (v >= skinEnd) {
      vs = lashTop + ((v - skinEnd) * lash) / JsMax(0.5, line);
      const double root = Clamp(1 + E.lashClosed * w.irisWidth - (lidEdge - v), 0, 1);
      if (root > 0) lashCover = travel * root * ProfileAt(w.lashShow, w.width, u);
      else { cover = travel; shade = 1 - E.lidShade * travel; toEdge = 1; }
    } else {
      const double from = lashTop - w.vTop, to = skinEnd - w.vTop;
      const double t = (v - w.vTop) / to;
      vs = Unfolded(E, w.vTop, t, from, to);
      shade = 1 - E.lidShade * travel * Smoothstep(1 - E.lidShadeSpan, 1, t);
      cover = travel * (w.coverAtLid != 0 ? Smoothstep(up - E.lidCoverAbove * w.aperture, up + E.lidCoverBelow * w.aperture, v) : Smoothstep(0, w.coverTop, t));
      texRow = TextureRow(w, v);
      toEdge = skinEnd > up ? Clamp((v - up) / (skinEnd - up), 0, 1) : 0;
    }
  } else if (v >= lowEdge && lowEdge < low) {
    vs = low + ((v - lowEdge) * (w.vBottom - low)) / (w.vBottom - lowEdge);
  } else if (v > up && v < low) {
    // |du| < irisWidth / 2, so |angle| <= pi / 2, well within JsCos's range.
    const double du = u - w.irisU;
    double k = 0;
    if (std::fabs(du) < w.irisWidth / 2) {
      const double angle = (M_PI * du) / w.irisWidth;
      const double c = JsCosInRange(angle) ? JsCos(angle) : std::cos(angle);
      k = c * c;
    }
    us = u - w.shiftU * k;
    vs = Clamp(v - w.shiftV * k, JsMin(v, up + 0.5), JsMax(v, low - 0.5));
  }
  s->x = w.cx + us * ax - vs * ay;
  s->y = w.cy + us * ay + vs * ax;
  s->dark = shade;
  if (cover > 0) LidCover(w, E, u, cover, shade, texRow, toEdge, 0, s, w.slideFur != 0 ? FurAt(w, E, lashTop, skinEnd - v) : 0);
  else if (lashCover > 0) LashLine(w, E, u, lashCover, s);
  DarkenEdge(w, E, u, v, up, low, lidEdge, shade, s);
}

// The scene edgeScene (kernels.ts) packs: the frame size, head motion and masks, the warps.
struct EdgeScene {
  int width, height;
  bool motion;
  double a11, a12, a21, a22, tx, ty, sx, sy, pvx, pvy;
  bool hasHead;
  Box head;
  Table weight, bodyWeight, weightDepth;
  bool hasMouth;
  Mouth mouth;
  EyeConst eyeConst;
  Eye eyes[8];
  int nEyes;
  double edgeMargin;
  uint8_t kindEdge, kindJaw, kindBrow, actBlock, actJaw, actEdge;
};

// The scene as kernels.ts packScene and fillScalars lay it out.
void ReadScene(const double* f, const Napi::Array& arrays, EdgeScene* out) {
  EdgeScene& sc = *out;
  sc.width = static_cast<int>(f[0]); sc.height = static_cast<int>(f[1]);
  sc.motion = f[2] != 0;
  sc.a11 = f[3]; sc.a12 = f[4]; sc.a21 = f[5]; sc.a22 = f[6]; sc.tx = f[7]; sc.ty = f[8]; sc.sx = f[9]; sc.sy = f[10]; sc.pvx = f[11]; sc.pvy = f[12];
  sc.hasHead = f[13] != 0;
  sc.head = Box{f[14], f[15], f[16], f[17]};
  sc.weight = TableOf(arrays, 0); sc.bodyWeight = TableOf(arrays, 1); sc.weightDepth = TableOf(arrays, 2);
  sc.hasMouth = f[18] != 0;
  Mouth& m = sc.mouth;
  m.box = Box{f[19], f[20], f[21], f[22]};
  m.cx = f[23]; m.cy = f[24]; m.ax = f[25]; m.ay = f[26]; m.width = f[27]; m.uMin = f[28]; m.uMax = f[29]; m.vMin = f[30]; m.vMax = f[31];
  m.rows = static_cast<int>(f[32]); m.cols = static_cast<int>(f[33]); m.shiftGain = f[34]; m.smileGain = f[35]; m.sourceTeeth = f[36] != 0;
  m.vProfile = TableOf(arrays, 3); m.uProfile = TableOf(arrays, 4); m.cornerProfile = TableOf(arrays, 5); m.top = TableOf(arrays, 6);
  m.bottom = TableOf(arrays, 7); m.upperInv = TableOf(arrays, 8); m.lowerInv = TableOf(arrays, 9); m.upIn = TableOf(arrays, 10);
  m.lowIn = TableOf(arrays, 11); m.teethDepth = TableOf(arrays, 12);
  sc.nEyes = std::min(8, static_cast<int>(f[45]));
  sc.eyeConst = EyeConst{f[37], f[38], f[39], f[40], f[41], f[42], f[43], f[44], f[67], f[68],
                         Data<uint8_t>(arrays.Get(16)), static_cast<int>(f[69]), static_cast<int>(f[70]), f[93], f[94], f[95], f[96], f[97], f[98], f[99],
                         f[100], f[101], f[102], f[103], f[104], f[105], f[106], f[107], f[108], f[109], f[110], f[111], f[112]};
  m.human = f[71] != 0;
  Palette& pal = m.palette;
  for (int k = 0; k < 3; k++) { pal.cavity[k] = f[72 + k]; pal.teeth[k] = f[75 + k]; pal.tongue[k] = f[78 + k]; pal.line[k] = f[89 + k]; }
  pal.shadeBase = f[81]; pal.shadeLow = f[82]; pal.shadeUp = f[83]; pal.shadeCorner = f[84]; pal.tongueGain = f[85]; pal.tongueCut = f[86];
  pal.tongueShade = f[87]; pal.lineWidth = f[88]; pal.edgeSoft = f[92];
  m.zoneHalfU = f[46]; m.zoneTop = f[47]; m.zoneBottom = f[48];
  m.grid = Grid{TableOf(arrays, 13).p, TableOf(arrays, 14).p, static_cast<int>(f[49]), static_cast<int>(f[50]), f[19], f[20], f[51]};
  m.maxStretch = f[52];
  sc.edgeMargin = f[53];
  sc.kindEdge = static_cast<uint8_t>(f[54]); sc.kindJaw = static_cast<uint8_t>(f[55]); sc.kindBrow = static_cast<uint8_t>(f[56]);
  sc.actBlock = static_cast<uint8_t>(f[57]); sc.actJaw = static_cast<uint8_t>(f[58]); sc.actEdge = static_cast<uint8_t>(f[59]);
  m.noseHeight = f[60]; m.lipTop = f[61]; m.jawHalfWidth = f[62]; m.chinDepth = f[63]; m.neckFall = f[64]; m.frameV = f[113]; m.lipBlend = f[65]; m.foldFree = f[66];
  m.upSmooth = TableOf(arrays, 15);
  for (int e = 0; e < sc.nEyes; e++) {
    const double* g = f + 114 + 31 * e;
    Eye& w = sc.eyes[e];
    w.box = Box{g[0], g[1], g[2], g[3]};
    w.cx = g[4]; w.cy = g[5]; w.ax = g[6]; w.ay = g[7]; w.width = g[8]; w.vTop = g[9]; w.vBrow = g[10]; w.vBottom = g[11];
    w.aperture = g[12]; w.blink = g[13]; w.browLift = g[14]; w.shiftU = g[15]; w.shiftV = g[16];
    w.lid = Box{g[17], g[18], g[19], g[20]};
    w.upperLid = TableOf(arrays, 17 + 11 * e); w.lowerLid = TableOf(arrays, 18 + 11 * e); w.lashBand = TableOf(arrays, 19 + 11 * e); w.lidTone = TableOf(arrays, 20 + 11 * e);
    w.lidTexture = TableOf(arrays, 21 + 11 * e); w.creaseHeight = TableOf(arrays, 22 + 11 * e); w.creaseDepth = TableOf(arrays, 23 + 11 * e); w.creaseHold = TableOf(arrays, 24 + 11 * e); w.shutFill = TableOf(arrays, 25 + 11 * e); w.lidToneLow = TableOf(arrays, 26 + 11 * e);
    w.lashShow = TableOf(arrays, 27 + 11 * e);
    w.texCols = static_cast<int>(g[21]); w.texRows = static_cast<int>(g[22]); w.irisWidth = g[23]; w.irisU = g[24];
    w.coverMin = g[25]; w.coverTop = g[26]; w.coverEnd = g[27]; w.lowerRise = g[28]; w.coverAtLid = g[29]; w.slideFur = g[30];
  }
}

// pixels.ts tracePixel.
inline void TracePixel(const EdgeScene& sc, double x, double y, Source* s) {
  s->x = x; s->y = y; s->dark = 1; s->cover = 0; s->split = false;
  if (sc.motion && sc.hasHead && sc.head.Has(x, y)) {
    const int hi = static_cast<int>((y - sc.head.y) * sc.head.w + (x - sc.head.x));
    const double w = sc.weight.p[hi], wb = sc.bodyWeight.p[hi];
    if (w > 0 || wb > 0) {
      const double wd = sc.weightDepth.p[hi];
      const double px = x - sc.pvx, py = y - sc.pvy;
      s->x = x - (w * (sc.a11 * px + sc.a12 * py + sc.tx) + wd * sc.sx + wb * sc.tx);
      s->y = y - (w * (sc.a21 * px + sc.a22 * py + sc.ty) + wd * sc.sy + wb * sc.ty);
    }
  }
  const double qx = s->x, qy = s->y;
  auto eyePixel = [&](int e) { MapEye(sc.eyes[e], sc.eyeConst, qx, qy, s); s->eye = e; s->qx = qx; s->qy = qy; };
  for (int e = 0; e < sc.nEyes; e++) if (sc.eyes[e].lid.Has(qx, qy)) { eyePixel(e); return; }
  if (sc.hasMouth && sc.mouth.box.Has(qx, qy)) { MapMouth(sc.mouth, qx, qy, s); return; }
  for (int e = 0; e < sc.nEyes; e++) if (sc.eyes[e].box.Has(qx, qy)) { eyePixel(e); return; }
}

// pixels.ts shaded.
inline double Shaded(double l, const Source& t) {
  if (t.dark != 1) l = 16 + (l - 16) * t.dark;
  if (t.cover > 0) l += (t.cy - l) * t.cover;
  return l;
}

// pixels.ts lumaOfSource.
inline double LumaOfSource(const uint8_t* sY, int width, int height, const Source& t) {
  return Shaded(SamplePlane(sY, width, height, t.x, t.y), t);
}

// pixels.ts splitLuma.
inline double SplitLuma(const EdgeScene& sc, const uint8_t* sY, const Source& s, double l) {
  const Eye& w = sc.eyes[s.eye];
  Source t;
  MapEye(w, sc.eyeConst, s.qx, s.qy - 1.0 / 3, &t);
  const double above = LumaOfSource(sY, sc.width, sc.height, t);
  MapEye(w, sc.eyeConst, s.qx, s.qy + 1.0 / 3, &t);
  const double below = LumaOfSource(sY, sc.width, sc.height, t);
  return (l + above + below) / 3;
}

// drawEdgeBlocks(n, positions, action, xs, ys, edge, scalars, arrays, srcY, srcU, srcV, outY, outU, outV): pixels.ts
// drawEdgeBlocks, for the blocks among `positions` whose action is `edge`. scalars/arrays: see kernels.ts packScene.
Napi::Value DrawEdgeBlocks(const Napi::CallbackInfo& info) {
  const int n = info[0].As<Napi::Number>().Int32Value();
  const int32_t* positions = Data<int32_t>(info[1]);
  const uint8_t* action = Data<uint8_t>(info[2]);
  const int32_t* xs = Data<int32_t>(info[3]);
  const int32_t* ys = Data<int32_t>(info[4]);
  const uint8_t edge = static_cast<uint8_t>(info[5].As<Napi::Number>().Int32Value());
  const double* f = Data<double>(info[6]);
  const Napi::Array arrays = info[7].As<Napi::Array>();
  const uint8_t *sY = Data<uint8_t>(info[8]), *sU = Data<uint8_t>(info[9]), *sV = Data<uint8_t>(info[10]);
  uint8_t *oY = Data<uint8_t>(info[11]), *oU = Data<uint8_t>(info[12]), *oV = Data<uint8_t>(info[13]);
  EdgeScene sc;
  ReadScene(f, arrays, &sc);
  const int width = sc.width, height = sc.height, cw = width >> 1, ch = height >> 1;
  for (int q = 0; q < n; q++) {
    const int i = positions[q];
    if (action[i] != edge) continue;
    const int x0 = xs[i], y0 = ys[i];
    Source px[4];
    double sumX = 0, sumY = 0, dark = 0, cov = 0, covU = 0, covV = 0;
    for (int k = 0; k < 4; k++) {
      const int x = x0 + (k & 1), y = y0 + (k >> 1);
      Source& s = px[k];
      TracePixel(sc, x, y, &s);
      double l = Shaded(s.x == x && s.y == y ? sY[y * width + x] : SamplePlane(sY, width, height, s.x, s.y), s);
      if (s.cover > 0) { cov += s.cover; covU += s.cover * s.cu; covV += s.cover * s.cv; }
      if (s.split) l = SplitLuma(sc, sY, s, l);
      oY[y * width + x] = U8(l + 0.5);
      sumX += s.x; sumY += s.y; dark += s.dark;
    }
    // pixels.ts edgeChroma.
    const double spread = JsMax4(std::fabs(px[0].x - px[3].x), std::fabs(px[0].y - px[3].y), std::fabs(px[1].x - px[2].x), std::fabs(px[1].y - px[2].y));
    double u, v;
    if (!(spread > 2.5)) {
      const double cx = (sumX * 0.25 - 0.5) * 0.5, cy = (sumY * 0.25 - 0.5) * 0.5;
      u = SamplePlane(sU, cw, ch, cx, cy); v = SamplePlane(sV, cw, ch, cx, cy);
    } else {
      u = 0; v = 0;
      for (int k = 0; k < 4; k++) {
        const double qx = (px[k].x - 0.5) * 0.5, qy = (px[k].y - 0.5) * 0.5;
        u += 0.25 * SamplePlane(sU, cw, ch, qx, qy); v += 0.25 * SamplePlane(sV, cw, ch, qx, qy);
      }
    }
    if (dark < 4) { const double d = dark * 0.25; u = 128 + (u - 128) * d; v = 128 + (v - 128) * d; }
    if (cov > 0) { const double a = cov * 0.25; u += (covU / cov - u) * a; v += (covV / cov - v) * a; }
    const int ci = (y0 >> 1) * cw + (x0 >> 1);
    oU[ci] = U8(u + 0.5);
    oV[ci] = U8(v + 0.5);
  }
  return info.Env().Undefined();
}

// warp.ts edgesNear: this frame's lips or a lid within the edge margin of (x, y).
inline bool EdgesNear(const EdgeScene& sc, double x, double y) {
  const double em = sc.edgeMargin;
  for (int e = 0; e < sc.nEyes; e++) {
    const Box& r = sc.eyes[e].lid;
    if (x >= r.x - em && x < r.x + r.w + em && y >= r.y - em && y < r.y + r.h + em) return true;
  }
  if (!sc.hasMouth) return false;
  const Mouth& m = sc.mouth;
  const double dx = x - m.cx, dy = y - m.cy;
  const double u = dx * m.ax + dy * m.ay, v = dy * m.ax - dx * m.ay;
  return std::fabs(u) < m.zoneHalfU + em && v > m.zoneTop - em && v < m.zoneBottom + em;
}

// warpBlocks(n, positions, bs, kind, calm, eye, qx, qy, action, scalars, arrays): warp.ts warpBlocks.
Napi::Value WarpBlocks(const Napi::CallbackInfo& info) {
  const int n = info[0].As<Napi::Number>().Int32Value();
  const int32_t* positions = Data<int32_t>(info[1]);
  const int32_t* bs = Data<int32_t>(info[2]);
  const uint8_t* kinds = Data<uint8_t>(info[3]);
  const uint8_t* calm = Data<uint8_t>(info[4]);
  const uint8_t* eye = Data<uint8_t>(info[5]);
  double* qx = Data<double>(info[6]);
  double* qy = Data<double>(info[7]);
  uint8_t* action = Data<uint8_t>(info[8]);
  EdgeScene sc;
  ReadScene(Data<double>(info[9]), info[10].As<Napi::Array>(), &sc);
  for (int q = 0; q < n; q++) {
    const int i = positions[q], b = bs[i];
    uint8_t kind = kinds[b];
    if (kind == sc.kindEdge) {
      if (EdgesNear(sc, qx[i], qy[i])) { action[i] = sc.actEdge; continue; }
      kind = calm[b];
    }
    if (kind == sc.kindJaw) { WarpJawBlock(sc.mouth.grid, sc.mouth.maxStretch, sc.actBlock, sc.actJaw, qx + i, qy + i, action + i); continue; }
    action[i] = sc.actBlock;
    if (kind != sc.kindBrow) continue;
    Source s;
    MapEye(sc.eyes[eye[b]], sc.eyeConst, qx[i], qy[i], &s);
    qx[i] = s.x; qy[i] = s.y;
  }
  return info.Env().Undefined();
}

// mouth-columns.ts upperShift.
inline double UpperShift(const Mouth& w, int c, double d, double edgeShift) {
  const double upIn = w.upIn.p[c], upSmooth = w.upSmooth.p[c];
  const double noseRel = JsMax(1, w.noseHeight + upIn);
  const double lip = JsMax(JsMax(2, upIn - w.lipTop), w.foldFree * std::fabs(upSmooth - edgeShift));
  const double t = Smoothstep(0, lip, d);
  return (edgeShift + (upSmooth - edgeShift) * t) * (1 - Smoothstep(0, noseRel, d));
}

// mouth-columns.ts lowerShift.
inline double LowerShift(const Mouth& w, double u, int c, double d, double edgeShift, double jawShift) {
  const double jawProfile = 1 - Smoothstep(0.55 * w.jawHalfWidth, 1.1 * w.jawHalfWidth, std::fabs(u));
  const double jaw = jawShift * jawProfile;
  const double blend = Smoothstep(0, JsMax(w.lipBlend * w.width, w.foldFree * std::fabs(jaw - edgeShift)), d);
  const double tu = u / w.jawHalfWidth;
  const double chinRel = JsMax(0.2 * w.width, (w.chinDepth - w.lowIn.p[c]) * (1 - 0.45 * tu * tu));
  const double edge = w.frameV - w.lowIn.p[c];
  const double below = chinRel + w.neckFall <= edge ? 1 - Smoothstep(chinRel, chinRel + w.neckFall, d)
    : edge > 0 ? 1 - Smoothstep(JsMax(0, edge - w.neckFall), edge, d) : 0;
  return (edgeShift + (jaw - edgeShift) * blend) * below;
}

// a / (b || 1) in JavaScript: b when it is a number other than 0, else 1.
inline double OrOne(double b) { return b == 0 || std::isnan(b) ? 1 : b; }

// invertColumns(scalars, arrays, jawShift, upperInv, lowerInv): mouth-columns.ts invertColumns.
Napi::Value InvertColumns(const Napi::CallbackInfo& info) {
  EdgeScene sc;
  ReadScene(Data<double>(info[0]), info[1].As<Napi::Array>(), &sc);
  const Mouth& w = sc.mouth;
  const double jawShift = info[2].As<Napi::Number>().DoubleValue();
  float* upperInv = Data<float>(info[3]);
  float* lowerInv = Data<float>(info[4]);
  const long total = static_cast<long>(info[4].As<Napi::TypedArray>().ElementLength());
  const int cols = w.cols, rows = w.rows;
  const double vMin = w.vMin;
  for (int c = 0; c < cols; c++) {
    const double u = w.uMin + ((w.uMax - w.uMin) * c) / (cols - 1);
    const double top = w.top.p[c], bottom = w.bottom.p[c];
    const double up = w.upIn.p[c], low = w.lowIn.p[c];
    const double upEdge = top - up, lowEdge = bottom - low;
    double prevS = up, prevO = up + upEdge;
    long r = static_cast<long>(std::min(static_cast<double>(rows - 1), std::floor(top - vMin)));
    for (long j = rows - 1; j > r; j--) upperInv[c * rows + j] = static_cast<float>(up);
    for (long d = 1; r >= 0; d++) {
      const double vs = up - d;
      const double vo = vs + UpperShift(w, c, static_cast<double>(d), upEdge);
      while (r >= 0 && vMin + r >= vo) {
        const double t = (vMin + r - vo) / OrOne(prevO - vo);
        upperInv[c * rows + r] = static_cast<float>(vs + (prevS - vs) * t);
        r--;
      }
      prevS = vs; prevO = vo;
      if (d > 8 * rows) break;
    }
    for (; r >= 0; r--) upperInv[c * rows + r] = static_cast<float>(prevS);
    prevS = low; prevO = low + lowEdge;
    r = static_cast<long>(std::max(0.0, std::ceil(bottom - vMin)));
    // Past the column's rows this runs into the next column's, which rewrites them (as in TypeScript); never past the table.
    for (long j = 0; j < r; j++) if (c * rows + j < total) lowerInv[c * rows + j] = static_cast<float>(low);
    for (long d = 1; r < rows; d++) {
      const double vs = low + d;
      const double vo = vs + LowerShift(w, u, c, static_cast<double>(d), lowEdge, jawShift);
      while (r < rows && vMin + r <= vo) {
        const double t = (vMin + r - prevO) / OrOne(vo - prevO);
        lowerInv[c * rows + r] = static_cast<float>(prevS + (vs - prevS) * t);
        r++;
      }
      prevS = vs; prevO = vo;
      if (d > 8 * rows) break;
    }
    for (; r < rows; r++) lowerInv[c * rows + r] = static_cast<float>(prevS);
  }
  return info.Env().Undefined();
}

// fillShiftGrid(scalars, arrays, gridX, gridY): mouth-map.ts fillShiftGrid, the warp's displacement at the grid's nodes.
Napi::Value FillShiftGrid(const Napi::CallbackInfo& info) {
  EdgeScene sc;
  ReadScene(Data<double>(info[0]), info[1].As<Napi::Array>(), &sc);
  const Mouth& w = sc.mouth;
  float* gx = Data<float>(info[2]);
  float* gy = Data<float>(info[3]);
  const Grid& g = w.grid;
  for (int j = 0; j < g.rows; j++) {
    for (int i = 0; i < g.cols; i++) {
      const double x = g.x0 + i * g.step, y = g.y0 + j * g.step;
      Source s;
      MapMouth(w, x, y, &s, false);
      gx[j * g.cols + i] = static_cast<float>(s.x - x);
      gy[j * g.cols + i] = static_cast<float>(s.y - y);
    }
  }
  return info.Env().Undefined();
}

// framePowers(x, coeffs, half, g, segs, out): dsp.ts filteredFramePower's summing pass for four
// cascades of four biquad sections at once, one per lane of a 256-bit register: each lane does
// its cascade's double-precision operations in the JavaScript's order (b0 x + b1 x1 + b2 x2 -
// a1 y1 - a2 y2, rounded to single precision after each section), so every lane's sums are the
// JavaScript's bits. The recurrences are latency-bound: four at a time cost what one does.
// coeffs: Float64Array [section][b0, b1, b2, a1, a2][lane] (4 x 5 x 4); a lane with nothing to do
// passes (b0 = 1). out: Float64Array segs x 4, lane-interleaved: out[4 k + lane] sums the squared
// output of the samples i with (i + half) / g in [k, k + 1). Answers false where the CPU has no
// AVX2 (the caller then runs the JavaScript).
#if defined(__x86_64__)
#pragma GCC push_options
#pragma GCC target("avx2")
void FramePowersFour(const float* x, int n, const double* c, int half, int g, double* out) {
  __m256d b0[4], b1[4], b2[4], a1[4], a2[4], x1[4], x2[4], y1[4], y2[4];
  for (int s = 0; s < 4; s++) {
    const double* k = c + 20 * s;
    b0[s] = _mm256_loadu_pd(k); b1[s] = _mm256_loadu_pd(k + 4); b2[s] = _mm256_loadu_pd(k + 8);
    a1[s] = _mm256_loadu_pd(k + 12); a2[s] = _mm256_loadu_pd(k + 16);
    x1[s] = x2[s] = y1[s] = y2[s] = _mm256_setzero_pd();
  }
  int seg = half / g, left = g - half % g;
  __m256d acc = _mm256_loadu_pd(out + 4 * seg);
  for (int i = 0; i < n; i++) {
    __m256d v = _mm256_set1_pd(static_cast<double>(x[i]));
    for (int s = 0; s < 4; s++) {
      __m256d t = _mm256_mul_pd(b0[s], v);
      t = _mm256_add_pd(t, _mm256_mul_pd(b1[s], x1[s]));
      t = _mm256_add_pd(t, _mm256_mul_pd(b2[s], x2[s]));
      t = _mm256_sub_pd(t, _mm256_mul_pd(a1[s], y1[s]));
      t = _mm256_sub_pd(t, _mm256_mul_pd(a2[s], y2[s]));
      const __m256d y = _mm256_cvtps_pd(_mm256_cvtpd_ps(t));
      x2[s] = x1[s]; x1[s] = v; y2[s] = y1[s]; y1[s] = y;
      v = y;
    }
    acc = _mm256_add_pd(acc, _mm256_mul_pd(v, v));
    if (--left == 0) {
      _mm256_storeu_pd(out + 4 * seg, acc);
      seg++; left = g;
      acc = _mm256_loadu_pd(out + 4 * seg);
    }
  }
  _mm256_storeu_pd(out + 4 * seg, acc);
}
#pragma GCC pop_options
#endif

Napi::Value FramePowers(const Napi::CallbackInfo& info) {
  const Napi::Float32Array xs = info[0].As<Napi::Float32Array>();
  const double* c = Data<double>(info[1]);
  const int half = info[2].As<Napi::Number>().Int32Value(), g = info[3].As<Napi::Number>().Int32Value();
  const int segs = info[4].As<Napi::Number>().Int32Value();
  double* out = Data<double>(info[5]);
  const int n = static_cast<int>(xs.ElementLength());
#if defined(__x86_64__)
  // Every sample's segment, (i + half) / g, and the one after the last (read, written back unchanged) lie within out.
  if (kHasAvx2 && g > 0 && (n - 1 + half) / g + 1 < segs) {
    FramePowersFour(xs.Data(), n, c, half, g, out);
    return Napi::Boolean::New(info.Env(), true);
  }
#endif
  return Napi::Boolean::New(info.Env(), false);
}

// threadCpuMs(): this thread's CPU time in ms. /proc's schedstat lags a running thread by up to
// a scheduler tick, far too coarse for one frame's few milliseconds.
Napi::Value ThreadCpuMs(const Napi::CallbackInfo& info) {
  timespec t;
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) != 0) return Napi::Number::New(info.Env(), NAN);
  return Napi::Number::New(info.Env(), t.tv_sec * 1e3 + t.tv_nsec / 1e6);
}

// x86V3(): whether this CPU runs the build for x86-64-v3 (binding.gyp's render_addon_v3: AVX2,
// BMI2, FMA..., about 5 % less time per frame than the baseline build, the same bytes since
// -ffp-contract=off keeps FMA out of every sum). The baseline build answers before the other is
// loaded: a tree built on one machine may be copied to an older one.
Napi::Value X86V3(const Napi::CallbackInfo& info) {
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
  return Napi::Boolean::New(info.Env(), __builtin_cpu_supports("x86-64-v3") != 0);
#else
  return Napi::Boolean::New(info.Env(), false);
#endif
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("threadCpuMs", Napi::Function::New(env, ThreadCpuMs));
  exports.Set("x86V3", Napi::Function::New(env, X86V3));
  exports.Set("traceBlocks", Napi::Function::New(env, TraceBlocks));
  exports.Set("warpJawBlocks", Napi::Function::New(env, WarpJawBlocks));
  exports.Set("drawJawBlocks", Napi::Function::New(env, DrawJawBlocks));
  exports.Set("sampleBlocks", Napi::Function::New(env, SampleBlocks));
  exports.Set("drawEdgeBlocks", Napi::Function::New(env, DrawEdgeBlocks));
  exports.Set("warpBlocks", Napi::Function::New(env, WarpBlocks));
  exports.Set("invertColumns", Napi::Function::New(env, InvertColumns));
  exports.Set("fillShiftGrid", Napi::Function::New(env, FillShiftGrid));
  exports.Set("jsCos", Napi::Function::New(env, JsCosAll));
  exports.Set("framePowers", Napi::Function::New(env, FramePowers));
  return exports;
}

}  // namespace

NODE_API_MODULE(render_addon, Init)
