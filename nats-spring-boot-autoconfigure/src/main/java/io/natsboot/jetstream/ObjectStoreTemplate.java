package io.natsboot.jetstream;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamOptions;
import io.nats.client.ObjectStore;
import io.nats.client.ObjectStoreOptions;
import io.nats.client.api.ObjectInfo;
import io.nats.client.api.ObjectMeta;
import io.nats.client.api.ObjectStoreConfiguration;
import io.nats.client.api.ObjectStoreStatus;
import io.natsboot.core.NatsException;
import io.natsboot.core.NatsExceptionTranslator;
import io.natsboot.core.NatsJetStreamException;
import io.natsboot.core.NatsNotConnectedException;
import io.natsboot.core.NatsPermissionException;
import io.natsboot.core.ObjectStoreOperations;
import io.natsboot.core.StoredObject;
import org.jspecify.annotations.Nullable;

/**
 * {@link ObjectStoreOperations} on one bucket, created on first use when missing.
 */
public class ObjectStoreTemplate implements ObjectStoreOperations {

	private final Connection connection;

	private final String bucket;

	private final ObjectStoreOptions options;

	private final NatsExceptionTranslator translator;

	private volatile @Nullable ObjectStore store;

	/**
	 * Creates the template.
	 * @param connection the connection
	 * @param bucket the bucket name on the server (with the namespace prefix)
	 * @param jetStreamOptions the JetStream domain, API prefix and request timeout
	 */
	public ObjectStoreTemplate(Connection connection, String bucket, JetStreamOptions jetStreamOptions) {
		this(connection, bucket, jetStreamOptions, new NatsExceptionTranslator());
	}

	/**
	 * Creates the template with the translator that explains refused permissions.
	 * @param connection the connection
	 * @param bucket the bucket name on the server (with the namespace prefix)
	 * @param jetStreamOptions the JetStream domain, API prefix and request timeout
	 * @param translator turns calls that got no answer because the server refused a
	 * permission into {@link NatsPermissionException}s
	 */
	public ObjectStoreTemplate(Connection connection, String bucket, JetStreamOptions jetStreamOptions,
			NatsExceptionTranslator translator) {
		this.translator = translator;
		this.connection = connection;
		this.bucket = bucket;
		this.options = ObjectStoreOptions.builder(jetStreamOptions).build();
	}

	@Override
	public ObjectInfo put(String name, byte[] data) {
		return call("store object '" + name + "'", (os) -> os.put(name, data));
	}

	@Override
	public ObjectInfo put(ObjectMeta meta, InputStream data) {
		return call("store object '" + meta.getObjectName() + "'", (os) -> os.put(meta, data));
	}

	@Override
	public ObjectInfo put(Path file) {
		return call("store file '" + file + "'", (os) -> os.put(file.toFile()));
	}

	@Override
	public @Nullable StoredObject get(String name) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ObjectInfo info = get(name, out);
		return (info != null) ? new StoredObject(info, out.toByteArray()) : null;
	}

	@Override
	public @Nullable ObjectInfo get(String name, OutputStream out) {
		return call("read object '" + name + "'", (os) -> (os.getInfo(name) != null) ? os.get(name, out) : null);
	}

	@Override
	public @Nullable ObjectInfo info(String name) {
		return call("read object '" + name + "'", (os) -> os.getInfo(name));
	}

	@Override
	public List<ObjectInfo> list() {
		return call("list objects", ObjectStore::getList);
	}

	@Override
	public boolean delete(String name) {
		return call("delete object '" + name + "'", (os) -> {
			if (os.getInfo(name) == null) {
				return false;
			}
			os.delete(name);
			return true;
		});
	}

	@Override
	public ObjectStoreStatus status() {
		return call("read the bucket's status", ObjectStore::getStatus);
	}

	private ObjectStore store() throws Exception {
		ObjectStore current = this.store;
		if (current == null) {
			try {
				this.connection.objectStoreManagement(this.options).getStatus(this.bucket);
			}
			catch (JetStreamApiException ex) {
				if (ex.getApiErrorCode() != JetStreamErrors.STREAM_NOT_FOUND) {
					throw ex;
				}
				this.connection.objectStoreManagement(this.options)
					.create(ObjectStoreConfiguration.builder(this.bucket).build());
			}
			current = this.connection.objectStore(this.bucket, this.options);
			this.store = current;
		}
		return current;
	}

	private <T> T call(String action, ObjectStoreCall<T> call) {
		String description = action + " in object store '" + this.bucket + "'";
		long since = this.translator.mark();
		try {
			return call.apply(store());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new NatsException("Interrupted while trying to " + description, ex);
		}
		catch (NatsNotConnectedException ex) {
			throw new NatsNotConnectedException("Cannot " + description + ": " + ex.getMessage());
		}
		catch (JetStreamApiException ex) {
			throw new NatsJetStreamException(
					"Cannot " + description + ": " + ex.getErrorDescription() + " (code " + ex.getApiErrorCode() + ")",
					ex.getApiErrorCode(), ex);
		}
		catch (Exception ex) {
			if (NatsExceptionTranslator.isNoAnswer(ex)) {
				String stream = "OBJ_" + this.bucket;
				String objects = "$O." + this.bucket + ".";
				NatsPermissionException denied = this.translator.explainNoReply(this.connection,
						NatsPermissionException.Operation.JETSTREAM_API, description, since,
						(subject) -> subject.contains(objects) || NatsExceptionTranslator.hasToken(subject, stream),
						ex);
				if (denied != null) {
					throw denied;
				}
			}
			throw new NatsJetStreamException("Cannot " + description + ": " + ex.getMessage(), 0, ex);
		}
	}

	@FunctionalInterface
	private interface ObjectStoreCall<T> {

		T apply(ObjectStore store) throws Exception;

	}

}
