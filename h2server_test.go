package invapi

import (
	"bufio"
	"crypto/tls"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
)

// h2Server is a minimal HTTP/2 server speaking raw frames, for the faults
// net/http's own server cannot inject: resetting a stream with a chosen
// error code after reading the whole request. It decodes no HPACK: it
// reads each request's body (the form, which names the action) and answers
// with a fixed header block.
//
// The frame format (RFC 9113 §4.1): a 9-byte header (24-bit length, type,
// flags, 31-bit stream id), then the payload.
type h2Server struct {
	t      testing.TB
	ln     net.Listener
	url    string
	client *http.Client

	mu       sync.Mutex
	received []url.Values // every complete request body, in order
	// answer decides each request: a non-zero RST_STREAM code, or else
	// the JSON body of a 200 answer. n counts requests from 1.
	answer func(n int, form url.Values) (rstCode uint32, body string)
}

const (
	h2Data         = 0x0
	h2Headers      = 0x1
	h2RSTStream    = 0x3
	h2Settings     = 0x4
	h2Ping         = 0x6
	h2GoAway       = 0x7
	h2Continuation = 0x9

	h2EndStream  = 0x1
	h2Ack        = 0x1
	h2EndHeaders = 0x4
	h2Padded     = 0x8
	h2Priority   = 0x20
)

// h2GoAwayUnprocessed, returned by an answer func, makes the server send
// GOAWAY(last stream id 0, NO_ERROR) and close: the request was received
// but, by RFC 9113 §6.8, not processed.
const h2GoAwayUnprocessed = 0xffff0000

// HTTP/2 error codes (RFC 9113 §7).
var h2Codes = map[string]uint32{
	"PROTOCOL_ERROR": 0x1, "INTERNAL_ERROR": 0x2, "FLOW_CONTROL_ERROR": 0x3, "STREAM_CLOSED": 0x5,
	"REFUSED_STREAM": 0x7, "CANCEL": 0x8, "ENHANCE_YOUR_CALM": 0xb, "HTTP_1_1_REQUIRED": 0xd,
}

// newH2Server starts a TLS listener offering only h2, with httptest's
// certificate, and returns it with a client that trusts it.
func newH2Server(t testing.TB, answer func(n int, form url.Values) (uint32, string)) *h2Server {
	t.Helper()
	ts := httptest.NewUnstartedServer(http.NotFoundHandler())
	ts.EnableHTTP2 = true
	ts.StartTLS()
	cert := ts.TLS.Certificates[0]
	client := ts.Client()
	ts.Close()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2"}})
	if err != nil {
		t.Fatal(err)
	}
	s := &h2Server{t: t, ln: ln, url: "https://" + ln.Addr().String(), client: client, answer: answer}
	var wg sync.WaitGroup
	var conns sync.Map
	t.Cleanup(func() {
		ln.Close()
		conns.Range(func(k, _ any) bool { k.(net.Conn).Close(); return true })
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Store(conn, true)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conn.Close()
				s.serve(conn)
			}()
		}
	}()
	return s
}

func (s *h2Server) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.received)
}

func (s *h2Server) reset() {
	s.mu.Lock()
	s.received = nil
	s.mu.Unlock()
}

func writeFrame(w io.Writer, typ, flags byte, stream uint32, payload []byte) error {
	var h [9]byte
	h[0], h[1], h[2] = byte(len(payload)>>16), byte(len(payload)>>8), byte(len(payload))
	h[3], h[4] = typ, flags
	binary.BigEndian.PutUint32(h[5:], stream&0x7fffffff)
	if _, err := w.Write(h[:]); err != nil {
		return err
	}
	_, err := w.Write(payload)
	return err
}

// jsonHeaderBlock is the HPACK block of ":status: 200" (static index 8) and
// "content-type: application/json" (literal without indexing, name index 31).
var jsonHeaderBlock = append([]byte{0x88, 0x0f, 0x10, byte(len("application/json"))}, "application/json"...)

func (s *h2Server) serve(conn net.Conn) {
	r := bufio.NewReader(conn)
	preface := make([]byte, 24)
	if _, err := io.ReadFull(r, preface); err != nil || string(preface) != "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" {
		return
	}
	if writeFrame(conn, h2Settings, 0, 0, nil) != nil {
		return
	}
	bodies := map[uint32][]byte{}
	for {
		var h [9]byte
		if _, err := io.ReadFull(r, h[:]); err != nil {
			return
		}
		length := int(h[0])<<16 | int(h[1])<<8 | int(h[2])
		typ, flags := h[3], h[4]
		stream := binary.BigEndian.Uint32(h[5:]) & 0x7fffffff
		payload := make([]byte, length)
		if _, err := io.ReadFull(r, payload); err != nil {
			return
		}
		end := false
		switch typ {
		case h2Settings:
			if flags&h2Ack == 0 && writeFrame(conn, h2Settings, h2Ack, 0, nil) != nil {
				return
			}
		case h2Ping:
			if flags&h2Ack == 0 && writeFrame(conn, h2Ping, h2Ack, 0, payload) != nil {
				return
			}
		case h2GoAway:
			return
		case h2Headers, h2Continuation:
			if _, ok := bodies[stream]; !ok {
				bodies[stream] = []byte{}
			}
			end = flags&h2EndStream != 0
		case h2Data:
			if flags&h2Padded != 0 && len(payload) > 0 {
				pad := int(payload[0])
				payload = payload[1 : len(payload)-pad]
			}
			bodies[stream] = append(bodies[stream], payload...)
			end = flags&h2EndStream != 0
		}
		if !end {
			continue
		}
		form, _ := url.ParseQuery(string(bodies[stream]))
		delete(bodies, stream)
		s.mu.Lock()
		s.received = append(s.received, form)
		n := len(s.received)
		s.mu.Unlock()
		code, body := s.answer(n, form)
		if code == h2GoAwayUnprocessed {
			// GOAWAY with last stream id 0: this stream was not processed.
			var p [8]byte
			_ = writeFrame(conn, h2GoAway, 0, 0, p[:])
			return
		}
		if code != 0 {
			var p [4]byte
			binary.BigEndian.PutUint32(p[:], code)
			if writeFrame(conn, h2RSTStream, 0, stream, p[:]) != nil {
				return
			}
			continue
		}
		if writeFrame(conn, h2Headers, h2EndHeaders, stream, jsonHeaderBlock) != nil ||
			writeFrame(conn, h2Data, h2EndStream, stream, []byte(body)) != nil {
			return
		}
	}
}
