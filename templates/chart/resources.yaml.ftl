[#list includes as include]
{{ include "castle-common.[=include.template]" [=include.arguments] }}
[/#list]
