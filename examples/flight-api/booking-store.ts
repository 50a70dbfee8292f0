import { randomBytes } from 'node:crypto';

/** A registered user of the demo API. */
export interface User {
  readonly id: string;
  readonly email: string;
  readonly name: string;
}

/** One passenger on a booking. */
export interface Passenger {
  readonly name: string;
}

/** A confirmed booking. */
export interface Booking {
  readonly id: string;
  readonly status: 'confirmed';
  readonly userId: string;
  readonly flightId: string;
  readonly passengers: readonly Passenger[];
  /** Price of the flight times the number of passengers. */
  readonly totalAmount: number;
  readonly currency: 'USD';
  readonly createdAt: string;
}

/**
 * The demo API's in-memory users, sessions and bookings. Ids are sequential, so a fresh server always
 * hands out the same ones; tokens are random, so they cannot be guessed.
 */
export class BookingStore {
  readonly #users = new Map<string, User>();
  readonly #userIdsByEmail = new Map<string, string>();
  readonly #userIdsByToken = new Map<string, string>();
  readonly #bookings = new Map<string, Booking>();
  #nextUser = 1;
  #nextBooking = 1;

  /** Registers a user and opens a session; `undefined` when the email (case-insensitive) is taken. */
  public register(input: { email: string; name: string }): { user: User; token: string } | undefined {
    const email = input.email.toLowerCase();
    if (this.#userIdsByEmail.has(email)) return undefined;
    const user: User = { id: `usr_${this.#nextUser++}`, email, name: input.name };
    const token = randomBytes(24).toString('base64url');
    this.#users.set(user.id, user);
    this.#userIdsByEmail.set(email, user.id);
    this.#userIdsByToken.set(token, user.id);
    return { user, token };
  }

  /** The user a session token belongs to. */
  public userForToken(token: string): User | undefined {
    const id = this.#userIdsByToken.get(token);
    return id === undefined ? undefined : this.#users.get(id);
  }

  /** Whether a user with `id` exists. */
  public hasUser(id: string): boolean {
    return this.#users.has(id);
  }

  /** Removes a user with their sessions and bookings. */
  public deleteUser(id: string): void {
    const user = this.#users.get(id);
    if (!user) return;
    this.#users.delete(id);
    this.#userIdsByEmail.delete(user.email);
    for (const [token, userId] of this.#userIdsByToken) if (userId === id) this.#userIdsByToken.delete(token);
    for (const [bookingId, booking] of this.#bookings)
      if (booking.userId === id) this.#bookings.delete(bookingId);
  }

  /** Records a confirmed booking. */
  public book(input: Omit<Booking, 'id' | 'status' | 'createdAt'>, now: Date): Booking {
    const booking: Booking = {
      id: `bkg_${this.#nextBooking++}`,
      status: 'confirmed',
      ...input,
      createdAt: now.toISOString(),
    };
    this.#bookings.set(booking.id, booking);
    return booking;
  }

  /** The booking with `id` if it belongs to `userId`: other users' bookings are not visible. */
  public bookingFor(id: string, userId: string): Booking | undefined {
    const booking = this.#bookings.get(id);
    return booking?.userId === userId ? booking : undefined;
  }

  /** Removes a booking. */
  public deleteBooking(id: string): void {
    this.#bookings.delete(id);
  }
}
