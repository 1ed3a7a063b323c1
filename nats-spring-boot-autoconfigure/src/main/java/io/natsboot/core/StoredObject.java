package io.natsboot.core;

import io.nats.client.api.ObjectInfo;

/**
 * An object read from an object store: its bytes and its information (name, size, digest,
 * description, headers, metadata).
 *
 * @param info the object's information
 * @param data the object's bytes
 */
public record StoredObject(ObjectInfo info, byte[] data) {
}
