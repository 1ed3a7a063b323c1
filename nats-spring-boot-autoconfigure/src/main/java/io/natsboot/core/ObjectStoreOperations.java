package io.natsboot.core;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

import io.nats.client.api.ObjectInfo;
import io.nats.client.api.ObjectMeta;
import io.nats.client.api.ObjectStoreStatus;
import org.jspecify.annotations.Nullable;

/**
 * Operations on one JetStream object store bucket, for objects of any size (jnats chunks
 * them). Obtained from {@code NatsTemplate.objectStore(bucket)}, which creates the bucket
 * when missing.
 */
public interface ObjectStoreOperations {

	/**
	 * Stores bytes under a name, replacing an object of that name.
	 * @param name the object name
	 * @param data the bytes
	 * @return the stored object's information
	 */
	ObjectInfo put(String name, byte[] data);

	/**
	 * Stores a stream with metadata, e.g.
	 * {@code ObjectMeta.builder("report.pdf").description("Q3 report").headers(headers).build()}.
	 * @param meta the name, description, headers and metadata
	 * @param data the content, read to its end (not closed)
	 * @return the stored object's information
	 */
	ObjectInfo put(ObjectMeta meta, InputStream data);

	/**
	 * Stores a file under its file name.
	 * @param file the file
	 * @return the stored object's information
	 */
	ObjectInfo put(Path file);

	/**
	 * Reads an object into memory.
	 * @param name the object name
	 * @return the object, or null when there is none of that name
	 */
	@Nullable StoredObject get(String name);

	/**
	 * Streams an object, for objects too large for memory.
	 * @param name the object name
	 * @param out where the bytes go (not closed)
	 * @return the object's information, or null when there is none of that name
	 */
	@Nullable ObjectInfo get(String name, OutputStream out);

	/**
	 * An object's information.
	 * @param name the object name
	 * @return the information, or null when there is none of that name
	 */
	@Nullable ObjectInfo info(String name);

	/**
	 * The objects in the bucket.
	 * @return their information
	 */
	List<ObjectInfo> list();

	/**
	 * Deletes an object.
	 * @param name the object name
	 * @return true when an object was deleted
	 */
	boolean delete(String name);

	/**
	 * The bucket's status: size, object count, configuration.
	 * @return the status
	 */
	ObjectStoreStatus status();

}
