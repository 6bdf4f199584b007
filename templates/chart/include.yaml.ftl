{{- include "castle-common.[=template]" [=arguments] }}
