package dev.castle.model;

/** A member of a closed set whose descriptor spelling is not a Java name ({@code gateway-api}, {@code http/protobuf}). */
public interface Spelled {
    /** As the descriptor and the generated files write it. */
    String value();
}
