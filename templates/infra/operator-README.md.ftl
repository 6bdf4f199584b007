# [=chart]

The [=type] `[=component]` of the [`[=system]`](../../README.md) system, run by [=runner]. castle
generated this subchart of the parent chart; its templates include the `castle-common` library
chart (`../castle-common`, a dependency of the parent chart), which writes the resources from the
values below. They are named `<release>-[=component]` (`nameOverride`), the name the services'
dependencies are wired to, and rendered only when the cluster serves `[=api]` (install the
[#if mode == "claim"]composite resource definition[#else]operator[/#if] first) or with `force=true`
(`helm template` without `--api-versions`, the Kustomize output).

## Connecting

[#if mode == "claim"]
The claim writes its connection details to the Secret **`[=secret]`**
(`writeConnectionSecretToRef`). Services of the system that list `[=component]` in `dependsOn`
read the host and the credentials from it, connect on port [=port] (the network policies let them
out to the component's `cidr` on that port only), and wait at start-up until the Secret exists and
the host accepts connections.
[#else]
Clients connect to the Service **`[=host]:[=port]`**, which the operator creates. Services of the
system that list `[=component]` in `dependsOn` get its address as environment variables,
[#if type == "kafka"]
and each gets its own KafkaUser **`[=kafkaUser]`** (SCRAM-SHA-512): its password and
`sasl.jaas.config` are in the Secret of the same name, which the User Operator writes; the user
name is the KafkaUser's name. Each user may describe, read and write the topics its service
declares (`dependsOn: [{name: [=component], topics: [...]}]`) and use the consumer groups whose id
starts with the service's name. The listener's `networkPolicyPeers` admit these services' pods only.
[#else]
and read the user name and password from the Secret **`[=secret]`** that the operator writes
(keys `username` and `password`).
[/#if]
They wait at start-up until it accepts connections, and the system's network policies let them
reach the operator's pods (labels `[=podLabels]`) on that port only.
[/#if]

## Parameters

[#list sections as section]
### [=section.title]

| Name | Description | Value |
|---|---|---|
[#list section.rows as row]
| [=row.name] | [=row.description] | [=row.value] |
[/#list]

[/#list]
