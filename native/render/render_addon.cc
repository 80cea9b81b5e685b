// The renderer's per-frame block loops (src/render/trace.ts traceBlocks, src/render/warp.ts
// warpJawBlocks with mouth.ts mouthStretchAt and mapMouthSmooth, src/render/sample.ts
// sampleBlocks, src/render/pixels.ts drawJawBlocks) in C++. They must give the very bytes the TypeScript gives:
// every sum is computed in double precision in the same order (IEEE-754 doubles, as JavaScript;
// -ffp-contract=off so no fused multiply-add changes a rounding), float32 weights widened to
// double as a Float32Array read does, and stores truncate as a Uint8Array store does for the
// values in range here. test/unit/render-passes.test.ts compares the two on the same input.
#include <napi.h>

#include <cmath>
#include <cstdint>

namespace {

template <typename T>
T* Data(const Napi::Value& v) {
  return reinterpret_cast<T*>(v.As<Napi::TypedArray>().ArrayBuffer().Data()) + v.As<Napi::TypedArray>().ByteOffset() / sizeof(T);
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

// warpJawBlocks(n, jaw, qx, qy, action, gridX, gridY, cols, rows, x0, y0, step, maxStretch, block, pixels)
Napi::Value WarpJawBlocks(const Napi::CallbackInfo& info) {
  const int n = info[0].As<Napi::Number>().Int32Value();
  const int32_t* jaw = Data<int32_t>(info[1]);
  double* qx = Data<double>(info[2]);
  double* qy = Data<double>(info[3]);
  uint8_t* action = Data<uint8_t>(info[4]);
  const float* gX = Data<float>(info[5]);
  const float* gY = Data<float>(info[6]);
  const int cols = info[7].As<Napi::Number>().Int32Value(), rows = info[8].As<Napi::Number>().Int32Value();
  const double x0 = info[9].As<Napi::Number>().DoubleValue(), y0 = info[10].As<Napi::Number>().DoubleValue();
  const double step = info[11].As<Napi::Number>().DoubleValue(), maxStretch = info[12].As<Napi::Number>().DoubleValue();
  const uint8_t block = static_cast<uint8_t>(info[13].As<Napi::Number>().Int32Value());
  const uint8_t pixels = static_cast<uint8_t>(info[14].As<Napi::Number>().Int32Value());
  for (int m = 0; m < n; m++) {
    const int i = jaw[m];
    const double x = qx[i], y = qy[i];
    const double gx = (x - x0) / step, gy = (y - y0) / step;
    // Outside the grid the warp is no stretch and no move (mouthStretchAt 0, mapMouthSmooth identity).
    if (gx < 0 || gy < 0 || gx >= cols - 1 || gy >= rows - 1) { action[i] = block; continue; }
    const int gi = static_cast<int>(gx), gj = static_cast<int>(gy);
    const int k = gj * cols + gi;
    const double xk = gX[k], xk1 = gX[k + 1], xkn = gX[k + cols], xkn1 = gX[k + cols + 1];
    const double yk = gY[k], yk1 = gY[k + 1], ykn = gY[k + cols], ykn1 = gY[k + cols + 1];
    const double stretch = JsMax4(std::fabs(xk1 - xk), std::fabs(xkn - xk), std::fabs(yk1 - yk), std::fabs(ykn - yk)) / step;
    if (stretch > maxStretch) { action[i] = pixels; continue; }
    action[i] = block;
    const double fx = gx - gi, fy = gy - gj;
    const double a = xk + (xk1 - xk) * fx, b = xkn + (xkn1 - xkn) * fx;
    const double c = yk + (yk1 - yk) * fx, d = ykn + (ykn1 - ykn) * fx;
    qx[i] = x + a + (b - a) * fy;
    qy[i] = y + c + (d - c) * fy;
  }
  return info.Env().Undefined();
}

// The mouth warp's displacement grid (mouth.ts MouthWarp.gridX/gridY).
struct Grid {
  const float *gx, *gy;
  int cols, rows;
  double x0, y0, step;
};

// mouth.ts mapMouthSmooth: (x, y) moved by the grid's displacement, interpolated bilinearly.
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
  for (int i = 0; i < n; i++) {
    const int b = bs[i];
    if (action[i] != 0) { fresh[b] = 1; continue; }
    const int x0 = xs[i], y0 = ys[i], d = y0 * width + x0, c = (y0 >> 1) * cw + (x0 >> 1);
    if (std::fabs(qx[i] - (x0 + 0.5)) < 0.02 && std::fabs(qy[i] - (y0 + 0.5)) < 0.02) {
      oY[d] = bgY[d]; oY[d + 1] = bgY[d + 1]; oY[d + width] = bgY[d + width]; oY[d + width + 1] = bgY[d + width + 1];
      oU[c] = bgU[c]; oV[c] = bgV[c];
      fresh[b] = 0;
    } else {
      SampleBlock(src, qx[i], qy[i], oY, d, oU, oV, c);
      fresh[b] = 1;
    }
  }
  return info.Env().Undefined();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("traceBlocks", Napi::Function::New(env, TraceBlocks));
  exports.Set("warpJawBlocks", Napi::Function::New(env, WarpJawBlocks));
  exports.Set("drawJawBlocks", Napi::Function::New(env, DrawJawBlocks));
  exports.Set("sampleBlocks", Napi::Function::New(env, SampleBlocks));
  return exports;
}

}  // namespace

NODE_API_MODULE(render_addon, Init)
