{
  "targets": [
    {
      "target_name": "tsdl_onednn",
      "sources": ["src/addon.cc", "src/conv.cc", "src/matmul.cc", "src/pool.cc", "src/rows.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-O3", "-fexceptions", "-fopenmp", "-Wall"],
      "libraries": ["-ldnnl", "-lgomp"]
    }
  ]
}
