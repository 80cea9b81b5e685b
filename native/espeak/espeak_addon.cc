// espeak-ng through its C API, for audio with exact phoneme timings: in synchronous mode the
// synth callback receives each audio chunk together with the events (phoneme, word) that start
// in it, and every event carries its audio_position in milliseconds.
//
// espeak-ng keeps global state and is not re-entrant, so every call holds one mutex; synthesis
// runs on a libuv worker thread (Napi::AsyncWorker) to keep the JavaScript event loop free.
#include <napi.h>
#include <espeak-ng/speak_lib.h>

#include <cstring>
#include <mutex>
#include <string>
#include <vector>

namespace {

std::mutex g_lock;
int g_sampleRate = 0;  // 0 = not initialised yet, < 0 = initialisation failed

struct Event {
  int type;
  int positionMs;
  int textPosition;
  int length;
  std::string name;
};

struct Collector {
  std::vector<int16_t> samples;
  std::vector<Event> events;
};

int OnSynth(short* wav, int count, espeak_EVENT* events) {
  for (espeak_EVENT* e = events; e && e->type != espeakEVENT_LIST_TERMINATED; ++e) {
    auto* out = static_cast<Collector*>(e->user_data);
    if (!out) continue;
    if (wav && count > 0 && e == events) out->samples.insert(out->samples.end(), wav, wav + count);
    if (e->type == espeakEVENT_PHONEME) {
      // The phoneme name is packed into an 8-byte field, not NUL-terminated when full.
      char buf[9] = {0};
      std::memcpy(buf, e->id.string, 8);
      out->events.push_back({e->type, e->audio_position, 0, 0, buf});
    } else if (e->type == espeakEVENT_WORD || e->type == espeakEVENT_SENTENCE || e->type == espeakEVENT_END ||
               e->type == espeakEVENT_MSG_TERMINATED) {
      out->events.push_back({e->type, e->audio_position, e->text_position, e->length, ""});
    }
  }
  // No events with this chunk: the audio still belongs to the caller, found through the
  // terminator's user_data.
  if (wav && count > 0 && events && events->type == espeakEVENT_LIST_TERMINATED) {
    auto* out = static_cast<Collector*>(events->user_data);
    if (out) out->samples.insert(out->samples.end(), wav, wav + count);
  }
  return 0;  // 0 = continue synthesis
}

// Must be called with g_lock held.
bool EnsureInit(std::string* error) {
  if (g_sampleRate > 0) return true;
  if (g_sampleRate < 0) { *error = "espeak-ng failed to initialise (is espeak-ng-data installed?)"; return false; }
  int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr,
                               espeakINITIALIZE_PHONEME_EVENTS | espeakINITIALIZE_PHONEME_IPA | espeakINITIALIZE_DONT_EXIT);
  if (rate <= 0) { g_sampleRate = -1; *error = "espeak-ng failed to initialise"; return false; }
  espeak_SetSynthCallback(OnSynth);
  g_sampleRate = rate;
  return true;
}

class SynthWorker : public Napi::AsyncWorker {
 public:
  SynthWorker(Napi::Env env, std::string text, std::string voice, int rate, int pitch)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), text_(std::move(text)),
        voice_(std::move(voice)), rate_(rate), pitch_(pitch) {}

  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override {
    std::lock_guard<std::mutex> hold(g_lock);
    if (!EnsureInit(&error_)) return;
    if (espeak_SetVoiceByName(voice_.c_str()) != EE_OK) { error_ = "unknown espeak-ng voice " + voice_; return; }
    espeak_SetParameter(espeakRATE, rate_, 0);
    espeak_SetParameter(espeakPITCH, pitch_, 0);
    sampleRate_ = g_sampleRate;
    espeak_ERROR r = espeak_Synth(text_.c_str(), text_.size() + 1, 0, POS_CHARACTER, 0,
                                  espeakCHARS_UTF8, nullptr, &out_);
    if (r != EE_OK) { error_ = "espeak_Synth failed with code " + std::to_string(r); return; }
    espeak_Synchronize();
  }

  void OnOK() override {
    Napi::Env env = Env();
    if (!error_.empty()) { deferred_.Reject(Napi::Error::New(env, error_).Value()); return; }
    auto samples = Napi::Int16Array::New(env, out_.samples.size());
    std::memcpy(samples.Data(), out_.samples.data(), out_.samples.size() * sizeof(int16_t));
    auto events = Napi::Array::New(env, out_.events.size());
    for (size_t i = 0; i < out_.events.size(); ++i) {
      const Event& e = out_.events[i];
      auto o = Napi::Object::New(env);
      const char* type = e.type == espeakEVENT_PHONEME ? "phoneme" : e.type == espeakEVENT_WORD ? "word"
                       : e.type == espeakEVENT_SENTENCE ? "sentence" : e.type == espeakEVENT_END ? "end" : "done";
      o.Set("type", type);
      o.Set("ms", e.positionMs);
      if (e.type == espeakEVENT_PHONEME) o.Set("phoneme", e.name);
      else { o.Set("textPosition", e.textPosition); o.Set("length", e.length); }
      events[i] = o;
    }
    auto result = Napi::Object::New(env);
    result.Set("samples", samples);
    result.Set("sampleRate", sampleRate_);
    result.Set("events", events);
    deferred_.Resolve(result);
  }

  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  std::string text_, voice_, error_;
  int rate_, pitch_, sampleRate_ = 0;
  Collector out_;
};

// synthesize(text, voiceName, wordsPerMinute, pitch0to100) -> Promise<{samples, sampleRate, events}>
Napi::Value Synthesize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 4 || !info[0].IsString() || !info[1].IsString() || !info[2].IsNumber() || !info[3].IsNumber()) {
    Napi::TypeError::New(env, "synthesize(text, voice, rate, pitch)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  auto* w = new SynthWorker(env, info[0].As<Napi::String>(), info[1].As<Napi::String>(),
                            info[2].As<Napi::Number>().Int32Value(), info[3].As<Napi::Number>().Int32Value());
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

// listVoices() -> [{name, identifier, languages: [string], gender: 0|1|2}]
Napi::Value ListVoices(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::lock_guard<std::mutex> hold(g_lock);
  std::string error;
  if (!EnsureInit(&error)) {
    Napi::Error::New(env, error).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const espeak_VOICE** voices = espeak_ListVoices(nullptr);
  auto out = Napi::Array::New(env);
  uint32_t n = 0;
  for (const espeak_VOICE** v = voices; v && *v; ++v) {
    auto o = Napi::Object::New(env);
    o.Set("name", (*v)->name ? (*v)->name : "");
    o.Set("identifier", (*v)->identifier ? (*v)->identifier : "");
    o.Set("gender", static_cast<int>((*v)->gender));
    // languages: repeated [priority byte][NUL-terminated name], ended by a zero priority byte.
    auto langs = Napi::Array::New(env);
    uint32_t k = 0;
    for (const char* p = (*v)->languages; p && *p; ) {
      const char* name = p + 1;
      langs[k++] = Napi::String::New(env, name);
      p = name + std::strlen(name) + 1;
    }
    o.Set("languages", langs);
    out[n++] = o;
  }
  return out;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("synthesize", Napi::Function::New(env, Synthesize));
  exports.Set("listVoices", Napi::Function::New(env, ListVoices));
  return exports;
}

}  // namespace

NODE_API_MODULE(espeak_addon, Init)
