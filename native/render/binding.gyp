{
  "targets": [
    {
      "target_name": "render_addon",
      "sources": ["render_addon.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-std=c++17", "-O3", "-ffp-contract=off", "-fno-fast-math"]
    }
  ]
}
