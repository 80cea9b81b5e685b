{
  "targets": [
    {
      "target_name": "render_addon",
      "sources": ["render_addon.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-std=c++17", "-O3", "-ffp-contract=off", "-fno-fast-math"]
    },
    {
      "target_name": "render_addon_v3",
      "sources": ["render_addon.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "conditions": [["target_arch=='x64'", {
        "cflags_cc": ["-std=c++17", "-O3", "-march=x86-64-v3", "-ffp-contract=off", "-fno-fast-math"]
      }, {
        "cflags_cc": ["-std=c++17", "-O3", "-ffp-contract=off", "-fno-fast-math"]
      }]]
    }
  ]
}
