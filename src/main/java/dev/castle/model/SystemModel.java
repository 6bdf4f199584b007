package dev.castle.model;

import java.util.List;

/** The whole system, validated, with every default resolved. The meeting point of input and output. */
public record SystemModel(Metadata metadata, List<Service> services) {
    public SystemModel {
        services = List.copyOf(services);
    }

    public record Metadata(String name, String version, String appVersion, String description) {
    }
}
