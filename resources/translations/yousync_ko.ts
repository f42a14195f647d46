<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko" sourcelanguage="en">
<context>
    <name>CalibrationDialog</name>
    <message>
        <source>Measuring… keep quiet for a few seconds.</source>
        <translation>측정 중… 몇 초 동안 조용히 해 주세요.</translation>
    </message>
    <message>
        <source>Round trip: {ms:.1f} ms (spread {spread:.2f} ms, confidence {conf:.2f})</source>
        <translation>왕복 지연: {ms:.1f} ms (편차 {spread:.2f} ms, 신뢰도 {conf:.2f})</translation>
    </message>
    <message>
        <source>Saved: takes are corrected by this delay.</source>
        <translation>저장됨: 녹음은 이 지연만큼 보정됩니다.</translation>
    </message>
    <message>
        <source>Not saved: the measurement was not reliable. Try again.</source>
        <translation>저장하지 않음: 측정값을 믿을 수 없습니다. 다시 시도해 주세요.</translation>
    </message>
    <message>
        <source>Calibration failed: {reason}</source>
        <translation>보정 실패: {reason}</translation>
    </message>
    <message>
        <source>Latency calibration</source>
        <translation>지연 보정</translation>
    </message>
    <message>
        <source>YouSync plays a few short sweeps and listens for them, to measure how long sound takes from the speakers back to the microphone. Takes are then cut to match what you heard. Turn the volume up and keep the room quiet.</source>
        <translation>YouSync가 짧은 신호음을 몇 번 재생하고 다시 들어서, 소리가 스피커에서 마이크로 돌아오는 데 걸리는 시간을 잽니다. 그러면 녹음이 들은 소리에 맞게 잘립니다. 볼륨을 높이고 주변을 조용히 해 주세요.</translation>
    </message>
    <message>
        <source>Speakers and microphone (not a loopback cable)</source>
        <translation>스피커와 마이크 사용 (루프백 케이블 아님)</translation>
    </message>
    <message>
        <source>Start calibration</source>
        <translation>보정 시작</translation>
    </message>
    <message>
        <source>Calibration in progress</source>
        <translation>보정 진행 중</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Copy details</source>
        <translation>자세한 정보 복사</translation>
    </message>
    <message>
        <source>Details copied</source>
        <translation>자세한 정보를 복사했습니다</translation>
    </message>
    <message>
        <source>Copy the technical details (for a bug report) to the clipboard</source>
        <translation>기술적인 자세한 정보(버그 신고용)를 클립보드에 복사합니다</translation>
    </message>
</context>
<context>
    <name>IssueTexts</name>
    <message>
        <source>The actor&apos;s reference could not be read as audio.</source>
        <translation>배우의 원본 음성을 오디오로 읽을 수 없습니다.</translation>
    </message>
    <message>
        <source>The actor&apos;s reference audio is empty or has an unusable sample rate.</source>
        <translation>배우의 원본 음성이 비어 있거나 쓸 수 없는 샘플레이트입니다.</translation>
    </message>
    <message>
        <source>The recording window&apos;s start time is not a number.</source>
        <translation>녹음 구간의 시작 시간이 숫자가 아닙니다.</translation>
    </message>
    <message>
        <source>The actor&apos;s reference has no voice for this line, so the take can&apos;t be compared with it.</source>
        <translation>이 대사에는 배우의 목소리가 없어서 테이크와 비교할 수 없습니다.</translation>
    </message>
    <message>
        <source>Only noise was recorded: no voice was found in the take.</source>
        <translation>소음만 녹음되었습니다. 테이크에서 목소리를 찾지 못했어요.</translation>
    </message>
    <message>
        <source>No voice was recorded: the take is silent. Check the microphone.</source>
        <translation>목소리가 녹음되지 않았습니다. 테이크가 무음이에요. 마이크를 확인하세요.</translation>
    </message>
    <message>
        <source>The take could not be read as audio.</source>
        <translation>테이크를 오디오로 읽을 수 없습니다.</translation>
    </message>
    <message>
        <source>The take is empty.</source>
        <translation>테이크가 비어 있습니다.</translation>
    </message>
    <message>
        <source>The take&apos;s sample rate ({rate} Hz) is not a usable audio rate.</source>
        <translation>테이크의 샘플레이트({rate} Hz)는 쓸 수 없는 값입니다.</translation>
    </message>
    <message>
        <source>The recording contained {count} invalid samples (NaN or infinity); they were treated as silence.</source>
        <translation>녹음에 잘못된 샘플(NaN 또는 무한대)이 {count}개 있어 무음으로 처리했습니다.</translation>
    </message>
    <message>
        <source>The take was recorded at {rate} Hz; use at least {reliable} Hz. Without the high frequencies the score is less reliable.</source>
        <translation>테이크가 {rate} Hz로 녹음되었습니다. {reliable} Hz 이상으로 녹음하세요. 고음역이 없으면 점수가 덜 정확합니다.</translation>
    </message>
    <message>
        <source>The take is far too short ({seconds:.2f} s) to cover the line, which ends {needed:.2f} s into the recording window.</source>
        <translation>테이크가 너무 짧아서({seconds:.2f}초) 대사를 다 담지 못합니다. 대사는 녹음 구간의 {needed:.2f}초에 끝납니다.</translation>
    </message>
    <message>
        <source>The recording is clipped ({percent:.1f} % of the voiced samples hit full scale), which distorts the voice: lower the input level.</source>
        <translation>녹음이 찢어졌습니다(목소리 샘플의 {percent:.1f}%가 최대 레벨). 소리가 왜곡되니 입력 레벨을 낮추세요.</translation>
    </message>
    <message>
        <source>The round-trip latency given is not a number; none was subtracted.</source>
        <translation>지정된 왕복 지연이 숫자가 아니어서 보정하지 않았습니다.</translation>
    </message>
    <message>
        <source>The take has much less speech than the actor&apos;s line ({take:.1f} s against {actor:.1f} s).</source>
        <translation>테이크의 말소리가 배우의 대사보다 훨씬 짧습니다({take:.1f}초 대 {actor:.1f}초).</translation>
    </message>
    <message>
        <source>The take has much more speech than the actor&apos;s line ({take:.1f} s against {actor:.1f} s).</source>
        <translation>테이크의 말소리가 배우의 대사보다 훨씬 깁니다({take:.1f}초 대 {actor:.1f}초).</translation>
    </message>
    <message>
        <source>You started {seconds:.2f} s late.</source>
        <translation>{seconds:.2f}초 늦게 시작했어요.</translation>
    </message>
    <message>
        <source>You started {seconds:.2f} s early.</source>
        <translation>{seconds:.2f}초 일찍 시작했어요.</translation>
    </message>
    <message>
        <source>You spoke about {percent:.0f} % slower than the actor.</source>
        <translation>배우보다 약 {percent:.0f}% 느리게 말했어요.</translation>
    </message>
    <message>
        <source>You spoke about {percent:.0f} % faster than the actor.</source>
        <translation>배우보다 약 {percent:.0f}% 빠르게 말했어요.</translation>
    </message>
    <message>
        <source>The words don&apos;t sound like the line&apos;s words.</source>
        <translation>대사의 단어들처럼 들리지 않아요.</translation>
    </message>
    <message>
        <source>These words didn&apos;t sound like the actor&apos;s: {words}.</source>
        <translation>이 단어들이 배우와 다르게 들렸어요: {words}.</translation>
    </message>
    <message>
        <source>Your intonation doesn&apos;t follow the actor&apos;s melody (it sounds flat).</source>
        <translation>억양이 배우의 멜로디를 따라가지 않아요(밋밋하게 들려요).</translation>
    </message>
    <message>
        <source>Your intonation doesn&apos;t follow the actor&apos;s melody.</source>
        <translation>억양이 배우의 멜로디를 따라가지 않아요.</translation>
    </message>
    <message>
        <source>Too little of the take was voiced to compare the melody.</source>
        <translation>목소리가 난 부분이 너무 적어서 멜로디를 비교할 수 없어요.</translation>
    </message>
</context>
<context>
    <name>KaraokeLine</name>
    <message>
        <source>Current line</source>
        <translation>현재 대사</translation>
    </message>
    <message>
        <source>Translation of the current line</source>
        <translation>현재 대사의 번역</translation>
    </message>
    <message>
        <source>Count-in</source>
        <translation>카운트인</translation>
    </message>
</context>
<context>
    <name>LevelMeter</name>
    <message>
        <source>Input level {rms:.0f} dBFS, peak {peak:.0f} dBFS</source>
        <translation>입력 레벨 {rms:.0f} dBFS, 최대 {peak:.0f} dBFS</translation>
    </message>
    <message>
        <source>Input level</source>
        <translation>입력 레벨</translation>
    </message>
    <message>
        <source>Microphone level; the light turns red when the input clips</source>
        <translation>마이크 레벨. 입력이 클리핑되면 표시등이 빨갛게 바뀝니다</translation>
    </message>
</context>
<context>
    <name>LineListModel</name>
    <message>
        <source>Not recorded</source>
        <translation>녹음 안 함</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>녹음됨</translation>
    </message>
    <message>
        <source>Scored</source>
        <translation>채점됨</translation>
    </message>
    <message>
        <source>Synced</source>
        <translation>동기화됨</translation>
    </message>
    <message>
        <source>{count} take(s)</source>
        <translation>녹음 {count}개</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>시간</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>대사</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Best</source>
        <translation>최고</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>YouSync</source>
        <translation>YouSync</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>편집(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>설정(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Import scene pack…</source>
        <translation>장면 팩 가져오기(&amp;I)…</translation>
    </message>
    <message>
        <source>Add a scene from a .yspack file</source>
        <translation>.yspack 파일에서 장면을 추가합니다</translation>
    </message>
    <message>
        <source>&amp;Export scene pack…</source>
        <translation>장면 팩 내보내기(&amp;E)…</translation>
    </message>
    <message>
        <source>Save the selected scene as a .yspack file</source>
        <translation>선택한 장면을 .yspack 파일로 저장합니다</translation>
    </message>
    <message>
        <source>&amp;Delete scene…</source>
        <translation>장면 삭제(&amp;D)…</translation>
    </message>
    <message>
        <source>Remove the selected scene and its takes</source>
        <translation>선택한 장면과 그 장면의 녹음을 모두 삭제합니다</translation>
    </message>
    <message>
        <source>&amp;Practise scene…</source>
        <translation>장면 연습하기(&amp;P)…</translation>
    </message>
    <message>
        <source>Record your dub of the selected scene</source>
        <translation>선택한 장면을 더빙해 녹음합니다</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>종료(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation>찾기(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>환경설정(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;About YouSync</source>
        <translation>YouSync 정보(&amp;A)</translation>
    </message>
    <message>
        <source>Work in progress</source>
        <translation>작업 진행 중</translation>
    </message>
    <message>
        <source>Installing demo scenes…</source>
        <translation>데모 장면 설치 중…</translation>
    </message>
    <message>
        <source>Demo scenes installed ({count})</source>
        <translation>데모 장면 {count}개를 설치했습니다</translation>
    </message>
    <message>
        <source>Cannot practise</source>
        <translation>연습할 수 없음</translation>
    </message>
    <message>
        <source>This scene cannot be opened.</source>
        <translation>이 장면을 열 수 없습니다.</translation>
    </message>
    <message>
        <source>About YouSync</source>
        <translation>YouSync 정보</translation>
    </message>
    <message>
        <source>&lt;h3&gt;YouSync Desktop {version}&lt;/h3&gt;&lt;p&gt;Practise dubbing movie scenes: record each line over the background track and see how close you came to the actor.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;YouSync Desktop {version}&lt;/h3&gt;&lt;p&gt;영화 장면으로 더빙을 연습해 보세요. 배경음에 맞춰 대사를 한 줄씩 녹음하고, 배우와 얼마나 비슷하게 말했는지 확인할 수 있습니다.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>PitchPlot</name>
    <message>
        <source>● Actor</source>
        <translation>● 배우</translation>
    </message>
    <message>
        <source>● You</source>
        <translation>● 나</translation>
    </message>
    <message>
        <source>● You, on the actor&apos;s timing</source>
        <translation>● 나 (배우 타이밍에 맞춤)</translation>
    </message>
    <message>
        <source>Hz</source>
        <translation>Hz</translation>
    </message>
    <message>
        <source>semitones</source>
        <translation>반음</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>초</translation>
    </message>
    <message>
        <source>Pitch of the actor and of your voice</source>
        <translation>배우와 내 목소리의 음높이</translation>
    </message>
</context>
<context>
    <name>PracticeActions</name>
    <message>
        <source>▶ Play/pause scene</source>
        <translation>▶ 장면 재생/일시정지</translation>
    </message>
    <message>
        <source>Play the scene from here, or pause it</source>
        <translation>여기부터 장면을 재생하거나 일시정지합니다</translation>
    </message>
    <message>
        <source>Play &amp;line</source>
        <translation>대사 재생(&amp;L)</translation>
    </message>
    <message>
        <source>Play the current line with the background</source>
        <translation>현재 대사를 배경음과 함께 재생합니다</translation>
    </message>
    <message>
        <source>⟲ &amp;Loop line</source>
        <translation>⟲ 대사 반복(&amp;L)</translation>
    </message>
    <message>
        <source>Play the current line over and over</source>
        <translation>현재 대사를 계속 반복 재생합니다</translation>
    </message>
    <message>
        <source>Hear the &amp;actor</source>
        <translation>배우 목소리 듣기(&amp;A)</translation>
    </message>
    <message>
        <source>Play the current line with the actor&apos;s voice</source>
        <translation>현재 대사를 배우 목소리와 함께 재생합니다</translation>
    </message>
    <message>
        <source>■ &amp;Finish take</source>
        <translation>■ 테이크 끝내기(&amp;F)</translation>
    </message>
    <message>
        <source>End the take here and score what you recorded</source>
        <translation>여기서 테이크를 끝내고 녹음한 만큼 채점합니다</translation>
    </message>
    <message>
        <source>● &amp;Record</source>
        <translation>● 녹음(&amp;R)</translation>
    </message>
    <message>
        <source>Record your dub of the current line</source>
        <translation>현재 대사를 더빙해 녹음합니다</translation>
    </message>
    <message>
        <source>■ &amp;Stop</source>
        <translation>■ 정지(&amp;S)</translation>
    </message>
    <message>
        <source>Stop playing; a take being recorded is discarded</source>
        <translation>재생을 멈춥니다. 녹음 중인 테이크는 버려집니다</translation>
    </message>
    <message>
        <source>◀ &amp;Previous line</source>
        <translation>◀ 이전 대사(&amp;P)</translation>
    </message>
    <message>
        <source>Go to the previous line</source>
        <translation>이전 대사로 갑니다</translation>
    </message>
    <message>
        <source>&amp;Next line ▶</source>
        <translation>다음 대사(&amp;N) ▶</translation>
    </message>
    <message>
        <source>Go to the next line</source>
        <translation>다음 대사로 갑니다</translation>
    </message>
    <message>
        <source>&amp;Close practice</source>
        <translation>연습 닫기(&amp;C)</translation>
    </message>
    <message>
        <source>Close the practice window</source>
        <translation>연습 창을 닫습니다</translation>
    </message>
    <message>
        <source>Play &amp;take</source>
        <translation>테이크 재생(&amp;T)</translation>
    </message>
    <message>
        <source>Play the selected take</source>
        <translation>선택한 테이크를 재생합니다</translation>
    </message>
    <message>
        <source>A/&amp;B with the actor</source>
        <translation>배우와 A/B 비교(&amp;B)</translation>
    </message>
    <message>
        <source>The actor&apos;s line, then your take</source>
        <translation>배우의 대사, 이어서 내 테이크</translation>
    </message>
    <message>
        <source>Hear it &amp;fixed</source>
        <translation>교정본 듣기(&amp;F)</translation>
    </message>
    <message>
        <source>Your take moved onto the actor&apos;s timing</source>
        <translation>배우 타이밍에 맞춘 내 테이크</translation>
    </message>
    <message>
        <source>★ &amp;Keep best</source>
        <translation>★ 베스트로 남기기(&amp;K)</translation>
    </message>
    <message>
        <source>Keep this take for your dub</source>
        <translation>이 테이크를 내 더빙에 씁니다</translation>
    </message>
    <message>
        <source>&amp;Delete take</source>
        <translation>테이크 삭제(&amp;D)</translation>
    </message>
    <message>
        <source>Delete the selected take</source>
        <translation>선택한 테이크를 삭제합니다</translation>
    </message>
    <message>
        <source>Listen to &amp;my dub</source>
        <translation>내 더빙 듣기(&amp;M)</translation>
    </message>
    <message>
        <source>Play the scene with your kept takes mixed in</source>
        <translation>남긴 테이크를 섞어 장면을 재생합니다</translation>
    </message>
    <message>
        <source>&amp;Export my dub…</source>
        <translation>내 더빙 내보내기(&amp;E)…</translation>
    </message>
    <message>
        <source>Save the scene with your takes as audio</source>
        <translation>내 테이크가 들어간 장면을 오디오 파일로 저장합니다</translation>
    </message>
    <message>
        <source>&amp;Calibrate latency…</source>
        <translation>지연 보정(&amp;C)…</translation>
    </message>
    <message>
        <source>Measure the delay between speakers and microphone</source>
        <translation>스피커와 마이크 사이의 지연을 측정합니다</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>환경설정(&amp;P)…</translation>
    </message>
    <message>
        <source>Devices, count-in, pitch display</source>
        <translation>장치, 카운트인, 음높이 표시</translation>
    </message>
    <message>
        <source>&amp;Practice</source>
        <translation>연습(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Takes</source>
        <translation>테이크(&amp;T)</translation>
    </message>
    <message>
        <source>S&amp;cene</source>
        <translation>장면(&amp;C)</translation>
    </message>
    <message>
        <source>Se&amp;ttings</source>
        <translation>설정(&amp;T)</translation>
    </message>
</context>
<context>
    <name>PracticeWindow</name>
    <message>
        <source>Starting the audio…</source>
        <translation>오디오를 시작하는 중…</translation>
    </message>
    <message>
        <source>No audio: {reason}</source>
        <translation>오디오 없음: {reason}</translation>
    </message>
    <message>
        <source>Latency not calibrated</source>
        <translation>지연 보정 안 됨</translation>
    </message>
    <message>
        <source>Latency {ms:.0f} ms</source>
        <translation>지연 {ms:.0f} ms</translation>
    </message>
    <message>
        <source>Get ready…</source>
        <translation>준비하세요…</translation>
    </message>
    <message>
        <source>● Recording {percent}%</source>
        <translation>● 녹음 중 {percent}%</translation>
    </message>
    <message>
        <source>Scoring…</source>
        <translation>채점 중…</translation>
    </message>
    <message>
        <source>Recording… speak the line when it lights up.</source>
        <translation>녹음 중… 대사에 불이 들어오면 말하세요.</translation>
    </message>
    <message>
        <source>Take discarded.</source>
        <translation>테이크를 버렸습니다.</translation>
    </message>
    <message>
        <source>An audio glitch during this take may have moved its timing; calibrate the latency again.</source>
        <translation>녹음 중 오디오 끊김이 있어 타이밍이 어긋났을 수 있습니다. 지연을 다시 보정하세요.</translation>
    </message>
    <message>
        <source>Delete take</source>
        <translation>테이크 삭제</translation>
    </message>
    <message>
        <source>Delete this take? This cannot be undone.</source>
        <translation>이 테이크를 삭제할까요? 되돌릴 수 없습니다.</translation>
    </message>
    <message>
        <source>{kind} audio (*{suffix})</source>
        <translation>{kind} 오디오 (*{suffix})</translation>
    </message>
    <message>
        <source>Export my dub</source>
        <translation>내 더빙 내보내기</translation>
    </message>
    <message>
        <source>Saved {name}</source>
        <translation>{name} 저장됨</translation>
    </message>
    <message>
        <source>Switching audio devices…</source>
        <translation>오디오 장치를 바꾸는 중…</translation>
    </message>
    <message>
        <source>Practise: {title}</source>
        <translation>연습: {title}</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>다시 시도</translation>
    </message>
    <message>
        <source>Takes of this line</source>
        <translation>이 대사의 테이크</translation>
    </message>
    <message>
        <source>Clipping! Lower the input level</source>
        <translation>클리핑! 입력 레벨을 낮추세요</translation>
    </message>
    <message>
        <source>Scene video</source>
        <translation>장면 영상</translation>
    </message>
    <message>
        <source>Lines of the scene</source>
        <translation>장면의 대사</translation>
    </message>
</context>
<context>
    <name>SceneBrowser</name>
    <message>
        <source>1 line</source>
        <translation>대사 1개</translation>
    </message>
    <message>
        <source>{count} lines</source>
        <translation>대사 {count}개</translation>
    </message>
    <message>
        <source>No scenes yet — File ▸ Import scene pack…</source>
        <translation>아직 장면이 없습니다 — 파일 ▸ 장면 팩 가져오기…</translation>
    </message>
    <message>
        <source>No scene matches</source>
        <translation>일치하는 장면이 없습니다</translation>
    </message>
    <message>
        <source>Search title or actor</source>
        <translation>제목 또는 배우 검색</translation>
    </message>
    <message>
        <source>Search scenes by title or actor</source>
        <translation>제목이나 배우 이름으로 장면 검색</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>모든 장르</translation>
    </message>
    <message>
        <source>Category filter</source>
        <translation>장르 필터</translation>
    </message>
    <message>
        <source>Scenes</source>
        <translation>장면 목록</translation>
    </message>
</context>
<context>
    <name>SceneDetail</name>
    <message>
        <source>Select a scene to see its lines</source>
        <translation>장면을 선택하면 대사가 표시됩니다</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>대사</translation>
    </message>
    <message>
        <source>Practise this scene</source>
        <translation>이 장면 연습하기</translation>
    </message>
    <message>
        <source>Record your dub line by line (Ctrl+P)</source>
        <translation>대사마다 더빙을 녹음합니다 (Ctrl+P)</translation>
    </message>
    <message>
        <source>Scene thumbnail</source>
        <translation>장면 미리보기 이미지</translation>
    </message>
    <message>
        <source>Lines of the selected scene</source>
        <translation>선택한 장면의 대사</translation>
    </message>
</context>
<context>
    <name>ScenePackActions</name>
    <message>
        <source>Import scene pack</source>
        <translation>장면 팩 가져오기</translation>
    </message>
    <message>
        <source>Scene packs (*.yspack *.zip);;All files (*)</source>
        <translation>장면 팩 (*.yspack *.zip);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Importing {name}…</source>
        <translation>{name} 가져오는 중…</translation>
    </message>
    <message>
        <source>Import failed</source>
        <translation>가져오기 실패</translation>
    </message>
    <message>
        <source>Could not import {name}.</source>
        <translation>{name} 파일을 가져오지 못했습니다.</translation>
    </message>
    <message>
        <source>“{title}” is already in the library</source>
        <translation>“{title}” 장면은 이미 라이브러리에 있습니다</translation>
    </message>
    <message>
        <source>Imported “{title}”</source>
        <translation>“{title}” 장면을 가져왔습니다</translation>
    </message>
    <message>
        <source>Export scene pack</source>
        <translation>장면 팩 내보내기</translation>
    </message>
    <message>
        <source>Scene packs (*.yspack)</source>
        <translation>장면 팩 (*.yspack)</translation>
    </message>
    <message>
        <source>Exporting “{title}”…</source>
        <translation>“{title}” 내보내는 중…</translation>
    </message>
    <message>
        <source>Saved {name}</source>
        <translation>{name} 파일을 저장했습니다</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>내보내기 실패</translation>
    </message>
    <message>
        <source>Could not save {name}.</source>
        <translation>{name} 파일을 저장하지 못했습니다.</translation>
    </message>
    <message>
        <source>Delete scene</source>
        <translation>장면 삭제</translation>
    </message>
    <message>
        <source>Delete “{title}” and all your takes of it? This cannot be undone.</source>
        <translation>“{title}” 장면과 이 장면에서 녹음한 내용을 모두 삭제할까요? 삭제하면 되돌릴 수 없습니다.</translation>
    </message>
    <message>
        <source>Deleting “{title}”…</source>
        <translation>“{title}” 삭제 중…</translation>
    </message>
    <message>
        <source>Deleted “{title}”</source>
        <translation>“{title}” 장면을 삭제했습니다</translation>
    </message>
    <message>
        <source>Delete failed</source>
        <translation>삭제 실패</translation>
    </message>
    <message>
        <source>Could not delete “{title}”.</source>
        <translation>“{title}” 장면을 삭제하지 못했습니다.</translation>
    </message>
</context>
<context>
    <name>ScorePanel</name>
    <message>
        <source>Nothing to fix: well done!</source>
        <translation>고칠 점이 없어요. 잘했어요!</translation>
    </message>
    <message>
        <source>Record the line to get a score.</source>
        <translation>대사를 녹음하면 점수가 나옵니다.</translation>
    </message>
    <message>
        <source>Sync rate</source>
        <translation>싱크율</translation>
    </message>
    <message>
        <source>Pronunciation</source>
        <translation>발음</translation>
    </message>
    <message>
        <source>Intonation</source>
        <translation>억양</translation>
    </message>
    <message>
        <source>Timing</source>
        <translation>타이밍</translation>
    </message>
    <message>
        <source>Score of the take</source>
        <translation>테이크 점수</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>등급</translation>
    </message>
</context>
<context>
    <name>ScriptLinesModel</name>
    <message>
        <source>Time</source>
        <translation>시간</translation>
    </message>
    <message>
        <source>English</source>
        <translation>영어</translation>
    </message>
    <message>
        <source>Korean</source>
        <translation>한국어</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Preferences</source>
        <translation>환경설정</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>언어(&amp;L):</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>시스템 설정 따르기</translation>
    </message>
    <message>
        <source>{name} (not connected)</source>
        <translation>{name} (연결 안 됨)</translation>
    </message>
    <message>
        <source>General</source>
        <translation>일반</translation>
    </message>
    <message>
        <source>Audio</source>
        <translation>오디오</translation>
    </message>
    <message>
        <source>Practice</source>
        <translation>연습</translation>
    </message>
    <message>
        <source>User interface language</source>
        <translation>화면 표시 언어</translation>
    </message>
    <message>
        <source>&amp;Microphone:</source>
        <translation>마이크(&amp;M):</translation>
    </message>
    <message>
        <source>Spea&amp;kers:</source>
        <translation>스피커(&amp;K):</translation>
    </message>
    <message>
        <source>Microphone</source>
        <translation>마이크</translation>
    </message>
    <message>
        <source>Speakers</source>
        <translation>스피커</translation>
    </message>
    <message>
        <source>Calibrate again after changing devices.</source>
        <translation>장치를 바꾼 뒤에는 다시 보정하세요.</translation>
    </message>
    <message>
        <source>&amp;Calibrate latency…</source>
        <translation>지연 보정(&amp;C)…</translation>
    </message>
    <message>
        <source>Count-&amp;in clicks:</source>
        <translation>카운트인 클릭 수(&amp;I):</translation>
    </message>
    <message>
        <source>Count-in clicks before each take</source>
        <translation>녹음 전 카운트인 클릭 수</translation>
    </message>
    <message>
        <source>&amp;Before the line:</source>
        <translation>대사 앞 여유(&amp;B):</translation>
    </message>
    <message>
        <source>Recorded before the line starts</source>
        <translation>대사가 시작되기 전에 녹음하는 시간</translation>
    </message>
    <message>
        <source>&amp;After the line:</source>
        <translation>대사 뒤 여유(&amp;A):</translation>
    </message>
    <message>
        <source>Recorded after the line ends</source>
        <translation>대사가 끝난 뒤에 녹음하는 시간</translation>
    </message>
    <message>
        <source>&amp;Pitch display:</source>
        <translation>음높이 표시(&amp;P):</translation>
    </message>
    <message>
        <source>Semitones from your own average</source>
        <translation>내 평균 음높이 기준 반음</translation>
    </message>
    <message>
        <source>Hertz (Hz)</source>
        <translation>헤르츠 (Hz)</translation>
    </message>
    <message>
        <source>Pitch display</source>
        <translation>음높이 표시</translation>
    </message>
</context>
<context>
    <name>SettingsNotice</name>
    <message>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <source>Not all of your settings could be used.</source>
        <translation>설정 중 일부를 사용할 수 없었습니다.</translation>
    </message>
</context>
<context>
    <name>StartupProblemDialog</name>
    <message>
        <source>Only one YouSync window can change a library at a time. Switch to the other window, or open the library here read-only to look at your scenes and takes.</source>
        <translation>라이브러리는 한 번에 YouSync 창 하나에서만 바꿀 수 있습니다. 다른 창으로 가거나, 여기서 읽기 전용으로 열어 장면과 테이크를 살펴보세요.</translation>
    </message>
    <message>
        <source>When the other program has finished, try again. Meanwhile the library can be opened read-only.</source>
        <translation>다른 프로그램이 끝나면 다시 시도하세요. 그동안에는 라이브러리를 읽기 전용으로 열 수 있습니다.</translation>
    </message>
    <message>
        <source>Your scenes and takes are files beside the library and are not affected. Whatever you choose, the current library file is kept aside, renamed with today&apos;s date, never deleted.</source>
        <translation>장면과 테이크는 라이브러리 옆에 파일로 있어서 영향을 받지 않았습니다. 무엇을 고르든 지금 라이브러리 파일은 오늘 날짜가 붙은 이름으로 따로 보관되며, 절대 삭제되지 않습니다.</translation>
    </message>
    <message>
        <source>YouSync needs to save your takes there. Make it writable (or reconnect the drive) and try again, or open the library read-only.</source>
        <translation>YouSync는 그곳에 테이크를 저장해야 합니다. 쓰기 가능하게 바꾸고(또는 드라이브를 다시 연결하고) 다시 시도하거나, 라이브러리를 읽기 전용으로 여세요.</translation>
    </message>
    <message>
        <source>Your library is safe: this version never changes a library saved by a newer one. You can look at it read-only.</source>
        <translation>라이브러리는 안전합니다. 이 버전은 더 새 버전이 저장한 라이브러리를 절대 바꾸지 않습니다. 읽기 전용으로 살펴볼 수 있습니다.</translation>
    </message>
    <message>
        <source>Your scenes and takes are still on disk, and the library can be rebuilt from them (scores and ★ marks are not kept with the files). A restored backup is completed from them too.</source>
        <translation>장면과 테이크는 아직 디스크에 있어서 그 파일들로 라이브러리를 다시 만들 수 있습니다(점수와 ★ 표시는 파일에 저장되지 않습니다). 백업을 복원해도 그 파일들로 빠진 부분을 채웁니다.</translation>
    </message>
    <message>
        <source>Your library was not changed. Restore the backup, open it read-only, or start a new library from your scenes and takes on disk.</source>
        <translation>라이브러리는 바뀌지 않았습니다. 백업을 복원하거나, 읽기 전용으로 열거나, 디스크에 있는 장면과 테이크로 새 라이브러리를 시작하세요.</translation>
    </message>
    <message>
        <source>Nothing was changed. Free some space on the disk and start YouSync again, or open the library read-only.</source>
        <translation>아무것도 바뀌지 않았습니다. 디스크 공간을 확보한 뒤 YouSync를 다시 시작하거나, 라이브러리를 읽기 전용으로 여세요.</translation>
    </message>
    <message>
        <source>Check that the drive holding the library is connected, then try again.</source>
        <translation>라이브러리가 있는 드라이브가 연결되어 있는지 확인한 뒤 다시 시도하세요.</translation>
    </message>
    <message>
        <source>Restore the backup of %1</source>
        <translation>%1 백업 복원</translation>
    </message>
    <message>
        <source>Rebuild the library from the media folders</source>
        <translation>미디어 폴더로 라이브러리 다시 만들기</translation>
    </message>
    <message>
        <source>Start a new library from the scenes and takes on disk</source>
        <translation>디스크의 장면과 테이크로 새 라이브러리 시작</translation>
    </message>
    <message>
        <source>Start a new, empty library</source>
        <translation>빈 라이브러리로 새로 시작</translation>
    </message>
    <message>
        <source>Show the other window</source>
        <translation>다른 창 보이기</translation>
    </message>
    <message>
        <source>Open read-only</source>
        <translation>읽기 전용으로 열기</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>다시 시도</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>종료</translation>
    </message>
    <message>
        <source>YouSync — the library did not open</source>
        <translation>YouSync — 라이브러리를 열지 못했습니다</translation>
    </message>
    <message>
        <source>That did not work: %1</source>
        <translation>실패했습니다: %1</translation>
    </message>
    <message>
        <source>YouSync — waiting for the library</source>
        <translation>YouSync — 라이브러리를 기다리는 중</translation>
    </message>
    <message>
        <source>The library was restored from the automatic backup of %1.</source>
        <translation>%1의 자동 백업으로 라이브러리를 복원했습니다.</translation>
    </message>
    <message>
        <source>A new library was started.</source>
        <translation>새 라이브러리를 시작했습니다.</translation>
    </message>
    <message>
        <source>The previous library file was kept as %1.</source>
        <translation>이전 라이브러리 파일은 %1(으)로 보관했습니다.</translation>
    </message>
    <message>
        <source>Put back from the media folders: %1 scene(s) and %2 take(s).</source>
        <translation>미디어 폴더에서 되살린 것: 장면 %1개, 테이크 %2개.</translation>
    </message>
    <message>
        <source>Takes put back from their files have no score or ★ yet: each is scored again when you open its scene.</source>
        <translation>파일에서 되살린 테이크에는 아직 점수와 ★이 없습니다. 장면을 열면 각 테이크의 점수를 다시 매깁니다.</translation>
    </message>
    <message>
        <source>%1 item(s) could not be put back; their files were left where they are.</source>
        <translation>%1개 항목은 되살리지 못했습니다. 그 파일들은 원래 자리에 그대로 두었습니다.</translation>
    </message>
    <message>
        <source>Read-only</source>
        <translation>읽기 전용</translation>
    </message>
    <message>
        <source>The library is open read-only: nothing you change is saved.</source>
        <translation>라이브러리가 읽기 전용으로 열려 있습니다. 바꾸는 내용은 저장되지 않습니다.</translation>
    </message>
    <message>
        <source>Putting your library back together…</source>
        <translation>라이브러리를 되살리는 중…</translation>
    </message>
    <message>
        <source>YouSync — your library</source>
        <translation>YouSync — 내 라이브러리</translation>
    </message>
</context>
<context>
    <name>TakesModel</name>
    <message>
        <source>not scored</source>
        <translation>채점 안 됨</translation>
    </message>
    <message>
        <source>kept</source>
        <translation>남김</translation>
    </message>
    <message>
        <source>not kept</source>
        <translation>남기지 않음</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>녹음 시각</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>점수</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>길이</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>{name}: file not found</source>
        <translation>{name}: 파일을 찾을 수 없습니다</translation>
    </message>
    <message>
        <source>{name}: cannot read audio ({detail})</source>
        <translation>{name}: 오디오를 읽을 수 없습니다({detail})</translation>
    </message>
    <message>
        <source>{where}: missing field &apos;{key}&apos;</source>
        <translation>{where}: &apos;{key}&apos; 필드가 없습니다</translation>
    </message>
    <message>
        <source>{where}: expected an integer, got {value!r}</source>
        <translation>{where}: 정수여야 하지만 값이 {value!r}입니다</translation>
    </message>
    <message>
        <source>{where}: expected a finite number, got {value!r}</source>
        <translation>{where}: 유한한 숫자여야 하지만 값이 {value!r}입니다</translation>
    </message>
    <message>
        <source>{where}: expected a string, got {value!r}</source>
        <translation>{where}: 문자열이어야 하지만 값이 {value!r}입니다</translation>
    </message>
    <message>
        <source>{where}: expected true/false, got {value!r}</source>
        <translation>{where}: true 또는 false여야 하지만 값이 {value!r}입니다</translation>
    </message>
    <message>
        <source>{where}: expected an object</source>
        <translation>{where}: 객체여야 합니다</translation>
    </message>
    <message>
        <source>{where}: expected a list</source>
        <translation>{where}: 목록이어야 합니다</translation>
    </message>
    <message>
        <source>{where}: expected a number or text</source>
        <translation>{where}: 숫자나 텍스트여야 합니다</translation>
    </message>
    <message>
        <source>{where}: ends at {end} s, not after its start at {start} s</source>
        <translation>{where}: 끝나는 시각({end}초)이 시작 시각({start}초)보다 뒤가 아닙니다</translation>
    </message>
    <message>
        <source>{name}: audio contains invalid samples</source>
        <translation>{name}: 오디오에 잘못된 샘플이 들어 있습니다</translation>
    </message>
    <message>
        <source>{name}: not a readable WAV, FLAC or Ogg audio file</source>
        <translation>{name}: 읽을 수 있는 WAV, FLAC, Ogg 오디오 파일이 아닙니다</translation>
    </message>
    <message>
        <source>{name}: unsupported sample rate {rate} Hz</source>
        <translation>{name}: 지원하지 않는 샘플레이트({rate} Hz)입니다</translation>
    </message>
    <message>
        <source>{name}: audio file is empty</source>
        <translation>{name}: 오디오 파일이 비어 있습니다</translation>
    </message>
    <message>
        <source>{name}: truncated MP4 box</source>
        <translation>{name}: MP4 박스가 중간에 잘려 있습니다</translation>
    </message>
    <message>
        <source>{name}: damaged MP4 (a box runs past the end of the file)</source>
        <translation>{name}: 손상된 MP4입니다(박스가 파일 끝을 넘어갑니다)</translation>
    </message>
    <message>
        <source>{name}: not an MP4 video</source>
        <translation>{name}: MP4 영상이 아닙니다</translation>
    </message>
    <message>
        <source>{name}: MP4 video without its index or media data</source>
        <translation>{name}: 색인이나 미디어 데이터가 없는 MP4 영상입니다</translation>
    </message>
    <message>
        <source>{name}: the video is not H.264 (AVC); re-encode it with H.264</source>
        <translation>{name}: 영상이 H.264(AVC)가 아닙니다. H.264로 다시 인코딩하세요</translation>
    </message>
    <message>
        <source>{name}: the video has no duration</source>
        <translation>{name}: 영상에 길이 정보가 없습니다</translation>
    </message>
    <message>
        <source>{name}: implausible video size {width}x{height}</source>
        <translation>{name}: 영상 크기({width}x{height})가 올바르지 않습니다</translation>
    </message>
    <message>
        <source>{name}: damaged PNG image</source>
        <translation>{name}: 손상된 PNG 이미지입니다</translation>
    </message>
    <message>
        <source>{name}: damaged JPEG image</source>
        <translation>{name}: 손상된 JPEG 이미지입니다</translation>
    </message>
    <message>
        <source>{name}: thumbnail is not a PNG or JPEG image</source>
        <translation>{name}: 미리보기 이미지가 PNG나 JPEG 형식이 아닙니다</translation>
    </message>
    <message>
        <source>{name}: image size {width}x{height} is not usable</source>
        <translation>{name}: 이미지 크기({width}x{height})를 쓸 수 없습니다</translation>
    </message>
    <message>
        <source>{name} is not a scene pack (not a readable ZIP archive)</source>
        <translation>{name} 파일은 장면 팩이 아닙니다(읽을 수 있는 ZIP 압축 파일이 아닙니다)</translation>
    </message>
    <message>
        <source>{name} is damaged ({detail})</source>
        <translation>{name} 파일이 손상되었습니다({detail})</translation>
    </message>
    <message>
        <source>the archive has {count} entries; a scene pack has at most {limit}</source>
        <translation>압축 파일에 항목이 {count}개 있습니다. 장면 팩에는 최대 {limit}개까지만 넣을 수 있습니다</translation>
    </message>
    <message>
        <source>unsafe path in the archive: {name!r}</source>
        <translation>압축 파일에 안전하지 않은 경로가 있습니다: {name!r}</translation>
    </message>
    <message>
        <source>the archive contains a link or special file: {name!r}</source>
        <translation>압축 파일에 링크나 특수 파일이 있습니다: {name!r}</translation>
    </message>
    <message>
        <source>the archive contains {name!r} twice</source>
        <translation>압축 파일에 {name!r} 항목이 두 번 들어 있습니다</translation>
    </message>
    <message>
        <source>encrypted archives are not supported</source>
        <translation>암호화된 압축 파일은 지원하지 않습니다</translation>
    </message>
    <message>
        <source>{name!r} is compressed suspiciously well (a zip bomb?)</source>
        <translation>{name!r} 파일의 압축률이 비정상적으로 높습니다(ZIP 폭탄일 수 있습니다)</translation>
    </message>
    <message>
        <source>{name!r} is {size_mb} MB; a file in a scene pack may be at most {limit_mb} MB</source>
        <translation>{name!r} 파일이 {size_mb} MB입니다. 장면 팩의 파일은 최대 {limit_mb} MB까지 허용됩니다</translation>
    </message>
    <message>
        <source>the archive unpacks to {size_mb} MB; a scene pack may unpack to at most {limit_mb} MB</source>
        <translation>압축을 풀면 {size_mb} MB가 됩니다. 장면 팩은 압축을 푼 크기가 최대 {limit_mb} MB까지 허용됩니다</translation>
    </message>
    <message>
        <source>{name!r} is larger than its archive entry claims</source>
        <translation>{name!r} 파일이 압축 파일 항목에 적힌 크기보다 큽니다</translation>
    </message>
    <message>
        <source>the archive has no manifest.json</source>
        <translation>압축 파일에 manifest.json이 없습니다</translation>
    </message>
    <message>
        <source>manifest.json is {size_mb:.1f} MB; a manifest may be at most {limit_mb} MB</source>
        <translation>manifest.json이 {size_mb:.1f} MB입니다. manifest는 최대 {limit_mb} MB까지 허용됩니다</translation>
    </message>
    <message>
        <source>manifest.json is not UTF-8 text</source>
        <translation>manifest.json이 UTF-8 텍스트가 아닙니다</translation>
    </message>
    <message>
        <source>manifest.json is not valid JSON (line {line}: {detail})</source>
        <translation>manifest.json이 올바른 JSON이 아닙니다({line}번째 줄: {detail})</translation>
    </message>
    <message>
        <source>manifest.json must hold a JSON object</source>
        <translation>manifest.json에는 JSON 객체가 들어 있어야 합니다</translation>
    </message>
    <message>
        <source>manifest.json is not a YouSync scene pack manifest</source>
        <translation>manifest.json이 YouSync 장면 팩의 매니페스트가 아닙니다</translation>
    </message>
    <message>
        <source>unsupported scene pack version {version!r}; this app reads version {supported}</source>
        <translation>지원하지 않는 장면 팩 버전입니다({version!r}). 이 앱은 버전 {supported}만 읽을 수 있습니다</translation>
    </message>
    <message>
        <source>manifest.json: &apos;pack_id&apos; must be 1–100 letters, digits, &apos;.&apos;, &apos;-&apos; or &apos;_&apos;</source>
        <translation>manifest.json: &apos;pack_id&apos;는 영문자, 숫자, &apos;.&apos;, &apos;-&apos;, &apos;_&apos;로 된 1–100자여야 합니다</translation>
    </message>
    <message>
        <source>manifest.json: missing the &apos;token&apos; object</source>
        <translation>manifest.json: &apos;token&apos; 객체가 없습니다</translation>
    </message>
    <message>
        <source>manifest.json: missing the &apos;media&apos; object</source>
        <translation>manifest.json: &apos;media&apos; 객체가 없습니다</translation>
    </message>
    <message>
        <source>manifest.json: {reason}</source>
        <translation>manifest.json: {reason}</translation>
    </message>
    <message>
        <source>manifest.json: unknown media kind {kind!r}</source>
        <translation>manifest.json: 알 수 없는 미디어 종류입니다: {kind!r}</translation>
    </message>
    <message>
        <source>manifest.json: the pack has no {kind} file</source>
        <translation>manifest.json: 팩에 {kind} 파일이 없습니다</translation>
    </message>
    <message>
        <source>manifest.json: unsafe {kind} path {name!r}</source>
        <translation>manifest.json: {kind} 경로가 안전하지 않습니다: {name!r}</translation>
    </message>
    <message>
        <source>{name!r}: unsupported file type for the {kind}</source>
        <translation>{name!r}: {kind} 파일로 지원하지 않는 형식입니다</translation>
    </message>
    <message>
        <source>{name!r} is named in the manifest but missing from the archive</source>
        <translation>{name!r} 파일이 매니페스트에는 있지만 압축 파일에는 없습니다</translation>
    </message>
    <message>
        <source>manifest.json: two media kinds point at the same file</source>
        <translation>manifest.json: 서로 다른 미디어 종류가 같은 파일을 가리킵니다</translation>
    </message>
    <message>
        <source>the scene&apos;s start time is not before its end time</source>
        <translation>장면의 시작 시간이 끝 시간보다 앞서지 않습니다</translation>
    </message>
    <message>
        <source>the scene has no lines</source>
        <translation>장면에 대사가 없습니다</translation>
    </message>
    <message>
        <source>two lines share the id {line}</source>
        <translation>ID가 {line}인 대사가 두 개 있습니다</translation>
    </message>
    <message>
        <source>line {line} belongs to token {token}, not {expected}</source>
        <translation>{line}번 대사가 속한 토큰이 {expected}번이 아니라 {token}번입니다</translation>
    </message>
    <message>
        <source>line {line} has no text</source>
        <translation>{line}번 대사에 텍스트가 없습니다</translation>
    </message>
    <message>
        <source>line {line} ends before it starts</source>
        <translation>{line}번 대사가 시작하기 전에 끝납니다</translation>
    </message>
    <message>
        <source>line {line} lies outside the clip</source>
        <translation>{line}번 대사가 클립 밖에 있습니다</translation>
    </message>
    <message>
        <source>line {line} starts before the previous line ends (lines out of order)</source>
        <translation>{line}번 대사가 앞 대사가 끝나기 전에 시작합니다(대사 순서가 잘못되었습니다)</translation>
    </message>
    <message>
        <source>two words share the id {word_id}</source>
        <translation>ID가 {word_id}인 단어가 두 개 있습니다</translation>
    </message>
    <message>
        <source>word {word_id} belongs to line {line}, not {expected}</source>
        <translation>{word_id}번 단어가 속한 대사가 {expected}번이 아니라 {line}번입니다</translation>
    </message>
    <message>
        <source>word {word!r} in line {line} ends before it starts</source>
        <translation>{line}번 대사에서 단어 {word!r}의 끝이 시작보다 앞섭니다</translation>
    </message>
    <message>
        <source>word {word!r} lies outside line {line}</source>
        <translation>단어 {word!r}의 시간이 {line}번 대사를 벗어납니다</translation>
    </message>
    <message>
        <source>the words of line {line} are out of order</source>
        <translation>{line}번 대사의 단어 순서가 잘못되었습니다</translation>
    </message>
    <message>
        <source>pitch times are not strictly increasing</source>
        <translation>음높이 데이터의 시간이 순서대로 증가하지 않습니다</translation>
    </message>
    <message>
        <source>a pitch point lies outside the clip</source>
        <translation>클립 밖에 있는 음높이 값이 있습니다</translation>
    </message>
    <message>
        <source>implausible pitch value {hz} Hz</source>
        <translation>있을 수 없는 음높이 값입니다: {hz} Hz</translation>
    </message>
    <message>
        <source>the clip lasts {seconds:.1f} s; a scene may last at most {limit:.0f} s</source>
        <translation>클립 길이가 {seconds:.1f}초입니다. 장면은 최대 {limit:.0f}초까지 허용됩니다</translation>
    </message>
    <message>
        <source>manifest.json: &apos;{field}&apos; has {count} characters; at most {limit} are allowed</source>
        <translation>manifest.json: &apos;{field}&apos;이(가) {count}자입니다. 최대 {limit}자까지 허용됩니다</translation>
    </message>
    <message>
        <source>the scene has {count} lines; a scene may have at most {limit}</source>
        <translation>장면에 대사가 {count}개 있습니다. 장면에는 대사를 최대 {limit}개까지 넣을 수 있습니다</translation>
    </message>
    <message>
        <source>line {line} lasts {seconds:.1f} s; a line may last at most {limit:.0f} s</source>
        <translation>{line}번 대사의 길이가 {seconds:.1f}초입니다. 대사 하나는 최대 {limit:.0f}초까지 허용됩니다</translation>
    </message>
    <message>
        <source>the text of line {line} has {count} characters; a line may have at most {limit}</source>
        <translation>{line}번 대사의 텍스트가 {count}자입니다. 대사는 최대 {limit}자까지 허용됩니다</translation>
    </message>
    <message>
        <source>the translation of line {line} has {count} characters; a translation may have at most {limit}</source>
        <translation>{line}번 대사의 번역이 {count}자입니다. 번역은 최대 {limit}자까지 허용됩니다</translation>
    </message>
    <message>
        <source>line {line} has {count} words; a line may have at most {limit}</source>
        <translation>{line}번 대사에 단어가 {count}개 있습니다. 대사 하나에는 단어를 최대 {limit}개까지 넣을 수 있습니다</translation>
    </message>
    <message>
        <source>the scene has {count} words; a scene may have at most {limit}</source>
        <translation>장면에 단어가 {count}개 있습니다. 장면에는 단어를 최대 {limit}개까지 넣을 수 있습니다</translation>
    </message>
    <message>
        <source>a word of line {line} has {count} characters; a word may have at most {limit}</source>
        <translation>{line}번 대사의 한 단어가 {count}자입니다. 단어는 최대 {limit}자까지 허용됩니다</translation>
    </message>
    <message>
        <source>the pitch contour has {count} points; a scene may have at most {limit}</source>
        <translation>음높이 곡선의 값이 {count}개입니다. 장면에는 최대 {limit}개까지 허용됩니다</translation>
    </message>
    <message>
        <source>the pitch contour has {count} points for a {seconds:.1f} s clip; at most {limit} are allowed ({per_second:.0f} per second)</source>
        <translation>{seconds:.1f}초 클립에 음높이 값이 {count}개 있습니다. 최대 {limit}개(초당 {per_second:.0f}개)까지 허용됩니다</translation>
    </message>
    <message>
        <source>the {kind} file {name!r} is {size_mb:.1f} MB; for a {clip:.1f} s clip it may be at most {limit_mb:.1f} MB</source>
        <translation>{kind} 파일 {name!r}이(가) {size_mb:.1f} MB입니다. {clip:.1f}초 클립에는 최대 {limit_mb:.1f} MB까지 허용됩니다</translation>
    </message>
    <message>
        <source>the {kind} track is {duration:.1f} s long but the clip is {clip:.1f} s</source>
        <translation>{kind} 트랙의 길이는 {duration:.1f}초인데 클립은 {clip:.1f}초입니다</translation>
    </message>
    <message>
        <source>the {kind} track lasts more than {limit:.1f} s but the clip is only {clip:.1f} s</source>
        <translation>{kind} 트랙이 {limit:.1f}초보다 긴데 클립은 {clip:.1f}초뿐입니다</translation>
    </message>
    <message>
        <source>the video is {duration:.1f} s long but the clip is {clip:.1f} s</source>
        <translation>영상의 길이는 {duration:.1f}초인데 클립은 {clip:.1f}초입니다</translation>
    </message>
    <message>
        <source>{reason}</source>
        <translation>{reason}</translation>
    </message>
    <message>
        <source>a different version of “{title}” is already in the library; delete it first to replace it</source>
        <translation>“{title}” 장면의 다른 버전이 이미 라이브러리에 있습니다. 바꾸려면 먼저 그 장면을 삭제하세요</translation>
    </message>
    <message>
        <source>the scene&apos;s {kind} file is missing from the library ({path})</source>
        <translation>라이브러리에 장면의 {kind} 파일이 없습니다({path})</translation>
    </message>
    <message>
        <source>{name}: {reason}</source>
        <translation>{name}: {reason}</translation>
    </message>
    <message>
        <source>could not install demo scenes: {failures}</source>
        <translation>데모 장면을 설치하지 못했습니다: {failures}</translation>
    </message>
    <message>
        <source>Scene {key} is not in the library.</source>
        <translation>{key}번 장면이 라이브러리에 없습니다.</translation>
    </message>
    <message>
        <source>no scene &apos;{ref}&apos; in the library (see `yousync list`)</source>
        <translation>라이브러리에 &apos;{ref}&apos; 장면이 없습니다(`yousync list`로 확인하세요)</translation>
    </message>
    <message>
        <source>A scene with pack id &apos;{pack_id}&apos; is already in the library.</source>
        <translation>팩 ID가 &apos;{pack_id}&apos;인 장면이 이미 라이브러리에 있습니다.</translation>
    </message>
    <message>
        <source>Line {line} is not part of this scene.</source>
        <translation>{line}번 대사는 이 장면에 없습니다.</translation>
    </message>
    <message>
        <source>Take {take} no longer exists.</source>
        <translation>{take}번 테이크는 더 이상 없습니다.</translation>
    </message>
    <message>
        <source>The library is open read-only: nothing can be changed.</source>
        <translation>라이브러리가 읽기 전용으로 열려 있어 아무것도 바꿀 수 없습니다.</translation>
    </message>
    <message>
        <source>Another program is writing to the library; try again when it is done.</source>
        <translation>다른 프로그램이 라이브러리에 쓰는 중입니다. 끝나면 다시 시도하세요.</translation>
    </message>
    <message>
        <source>The disk holding the library is full; nothing was changed.</source>
        <translation>라이브러리가 있는 디스크가 가득 찼습니다. 아무것도 바뀌지 않았습니다.</translation>
    </message>
    <message>
        <source>The library could not be changed: {reason}.</source>
        <translation>라이브러리를 바꾸지 못했습니다: {reason}.</translation>
    </message>
    <message>
        <source>Record at least one line first: your dub has no takes yet.</source>
        <translation>먼저 대사를 하나 이상 녹음하세요. 아직 더빙에 쓸 테이크가 없습니다.</translation>
    </message>
    <message>
        <source>Cannot write {suffix} here; choose one of {formats}.</source>
        <translation>{suffix} 형식으로는 저장할 수 없습니다. {formats} 중 하나를 고르세요.</translation>
    </message>
    <message>
        <source>Cannot write files without an extension here; choose one of {formats}.</source>
        <translation>확장자가 없는 파일로는 저장할 수 없습니다. {formats} 중 하나를 고르세요.</translation>
    </message>
    <message>
        <source>There is no line {number} in this scene.</source>
        <translation>이 장면에는 {number}번째 대사가 없습니다.</translation>
    </message>
    <message>
        <source>This take belongs to a line the scene no longer has.</source>
        <translation>이 테이크의 대사가 더 이상 장면에 없습니다.</translation>
    </message>
    <message>
        <source>This scene has no background track to practise with.</source>
        <translation>이 장면에는 연습할 때 쓸 배경음 트랙이 없습니다.</translation>
    </message>
    <message>
        <source>The practice session is closed.</source>
        <translation>연습 세션이 닫혔습니다.</translation>
    </message>
    <message>
        <source>The audio is not ready yet.</source>
        <translation>오디오가 아직 준비되지 않았습니다.</translation>
    </message>
    <message>
        <source>Finish the take before calibrating.</source>
        <translation>보정하기 전에 테이크를 마치세요.</translation>
    </message>
    <message>
        <source>A take is already being recorded.</source>
        <translation>이미 테이크를 녹음하고 있습니다.</translation>
    </message>
    <message>
        <source>The take&apos;s audio file is missing.</source>
        <translation>테이크의 오디오 파일이 없습니다.</translation>
    </message>
    <message>
        <source>There is no voice in this take to fix.</source>
        <translation>이 테이크에는 고칠 목소리가 없습니다.</translation>
    </message>
    <message>
        <source>The take could not be saved: {reason}</source>
        <translation>테이크를 저장하지 못했습니다: {reason}</translation>
    </message>
    <message>
        <source>The take is kept and will be added to your takes the next time the app starts; it could not be added now: {reason}</source>
        <translation>테이크는 보관했으며 다음에 앱을 시작할 때 테이크 목록에 추가됩니다. 지금은 추가하지 못했습니다: {reason}</translation>
    </message>
    <message>
        <source>The take could not be scored: {reason}</source>
        <translation>테이크를 채점하지 못했습니다: {reason}</translation>
    </message>
    <message>
        <source>Could not save the settings: {reason}</source>
        <translation>설정을 저장하지 못했습니다: {reason}</translation>
    </message>
    <message>
        <source>Settings can&apos;t be saved: {path} is a file, not a folder. Changes last until you quit.</source>
        <translation>설정을 저장할 수 없습니다: {path}은(는) 폴더가 아니라 파일입니다. 바꾼 설정은 앱을 끌 때까지만 유지됩니다.</translation>
    </message>
    <message>
        <source>Settings can&apos;t be saved: the folder {path} is read-only. Changes last until you quit.</source>
        <translation>설정을 저장할 수 없습니다: {path} 폴더가 읽기 전용입니다. 바꾼 설정은 앱을 끌 때까지만 유지됩니다.</translation>
    </message>
    <message>
        <source>Settings can&apos;t be saved: the settings file could not be read or moved aside, and it is left as it is. Changes last until you quit.</source>
        <translation>설정을 저장할 수 없습니다: 설정 파일을 읽을 수도 옮겨 둘 수도 없어서 그대로 두었습니다. 바꾼 설정은 앱을 끌 때까지만 유지됩니다.</translation>
    </message>
    <message>
        <source>The settings file could not be read, so YouSync started with default settings. The old file was kept as {name}.</source>
        <translation>설정 파일을 읽을 수 없어 기본 설정으로 시작했습니다. 원래 파일은 {name}(으)로 보관해 두었습니다.</translation>
    </message>
    <message>
        <source>Some settings were not valid and went back to their defaults: {names}.</source>
        <translation>올바르지 않은 설정을 기본값으로 되돌렸습니다: {names}.</translation>
    </message>
    <message>
        <source>There is no setting called {name}.</source>
        <translation>{name}(이)라는 설정은 없습니다.</translation>
    </message>
    <message>
        <source>The setting {name} must be of type {expected}.</source>
        <translation>설정 {name}의 값은 {expected} 형식이어야 합니다.</translation>
    </message>
    <message>
        <source>The setting {name} must be between {low} and {high}.</source>
        <translation>설정 {name}의 값은 {low}에서 {high} 사이여야 합니다.</translation>
    </message>
    <message>
        <source>The setting {name} must be one of: {choices}.</source>
        <translation>설정 {name}의 값은 다음 중 하나여야 합니다: {choices}.</translation>
    </message>
    <message>
        <source>The setting {name} must be at most {limit} characters long.</source>
        <translation>설정 {name}의 값은 {limit}자 이하여야 합니다.</translation>
    </message>
    <message>
        <source>The latency calibration for {pair} is not valid.</source>
        <translation>{pair}의 지연 보정 값이 올바르지 않습니다.</translation>
    </message>
    <message>
        <source>The PortAudio library is missing (install libportaudio2): {reason}</source>
        <translation>PortAudio 라이브러리가 없습니다(libportaudio2를 설치하세요): {reason}</translation>
    </message>
    <message>
        <source>No microphone found. Connect one and check that the sound system is running.</source>
        <translation>마이크를 찾을 수 없습니다. 마이크를 연결하고 사운드 시스템이 실행 중인지 확인하세요.</translation>
    </message>
    <message>
        <source>No speakers found. Connect one and check that the sound system is running.</source>
        <translation>스피커를 찾을 수 없습니다. 스피커를 연결하고 사운드 시스템이 실행 중인지 확인하세요.</translation>
    </message>
    <message>
        <source>Cannot open the microphone “{microphone}” with the speakers “{speakers}” at {sample_rate} Hz: {reason}</source>
        <translation>“{microphone}” 마이크와 “{speakers}” 스피커를 {sample_rate} Hz로 열 수 없습니다: {reason}</translation>
    </message>
    <message>
        <source>No sound is arriving from the microphone “{microphone}”. Check that it is connected and not in use by another program.</source>
        <translation>“{microphone}” 마이크에서 소리가 들어오지 않습니다. 마이크가 연결되어 있는지, 다른 프로그램이 사용 중이지 않은지 확인하세요.</translation>
    </message>
    <message>
        <source>The audio engine is not running.</source>
        <translation>오디오 엔진이 실행되고 있지 않습니다.</translation>
    </message>
    <message>
        <source>The microphone stopped delivering sound.</source>
        <translation>마이크에서 더 이상 소리가 들어오지 않습니다.</translation>
    </message>
    <message>
        <source>The audio stream ended unexpectedly: a device was disconnected. Recording stopped (microphone “{microphone}”, speakers “{speakers}”); everything recorded until then was kept. Check the devices and start again.</source>
        <translation>오디오 스트림이 예기치 않게 끝났습니다. 장치의 연결이 끊어졌습니다. 녹음을 멈췄습니다(마이크 “{microphone}”, 스피커 “{speakers}”). 그때까지 녹음된 내용은 모두 보관했습니다. 장치를 확인한 뒤 다시 시작하세요.</translation>
    </message>
    <message>
        <source>The audio devices stopped responding: a device was disconnected. Recording stopped (microphone “{microphone}”, speakers “{speakers}”); everything recorded until then was kept. Check the devices and start again.</source>
        <translation>오디오 장치가 응답하지 않습니다. 장치의 연결이 끊어졌습니다. 녹음을 멈췄습니다(마이크 “{microphone}”, 스피커 “{speakers}”). 그때까지 녹음된 내용은 모두 보관했습니다. 장치를 확인한 뒤 다시 시작하세요.</translation>
    </message>
    <message>
        <source>The microphone stopped delivering sound: it was disconnected. Recording stopped (microphone “{microphone}”, speakers “{speakers}”); everything recorded until then was kept. Check the devices and start again.</source>
        <translation>마이크에서 더 이상 소리가 들어오지 않습니다. 마이크의 연결이 끊어졌습니다. 녹음을 멈췄습니다(마이크 “{microphone}”, 스피커 “{speakers}”). 그때까지 녹음된 내용은 모두 보관했습니다. 장치를 확인한 뒤 다시 시작하세요.</translation>
    </message>
    <message>
        <source>The sound system stopped (the PulseAudio/PipeWire server is not running). Recording stopped (microphone “{microphone}”, speakers “{speakers}”); everything recorded until then was kept. Check the devices and start again.</source>
        <translation>사운드 시스템이 멈췄습니다(PulseAudio/PipeWire 서버가 실행되고 있지 않습니다). 녹음을 멈췄습니다(마이크 “{microphone}”, 스피커 “{speakers}”). 그때까지 녹음된 내용은 모두 보관했습니다. 장치를 확인한 뒤 다시 시작하세요.</translation>
    </message>
    <message>
        <source>The microphone “{device}” was disconnected. Recording stopped (microphone “{microphone}”, speakers “{speakers}”); everything recorded until then was kept. Check the devices and start again.</source>
        <translation>“{device}” 마이크의 연결이 끊어졌습니다. 녹음을 멈췄습니다(마이크 “{microphone}”, 스피커 “{speakers}”). 그때까지 녹음된 내용은 모두 보관했습니다. 장치를 확인한 뒤 다시 시작하세요.</translation>
    </message>
    <message>
        <source>The speakers “{device}” were disconnected. Recording stopped (microphone “{microphone}”, speakers “{speakers}”); everything recorded until then was kept. Check the devices and start again.</source>
        <translation>“{device}” 스피커의 연결이 끊어졌습니다. 녹음을 멈췄습니다(마이크 “{microphone}”, 스피커 “{speakers}”). 그때까지 녹음된 내용은 모두 보관했습니다. 장치를 확인한 뒤 다시 시작하세요.</translation>
    </message>
    <message>
        <source>{file}: {minutes:.0f} minutes long; a scene&apos;s track should be a few minutes at most</source>
        <translation>{file}: 길이가 {minutes:.0f}분입니다. 장면의 트랙은 길어야 몇 분이어야 합니다</translation>
    </message>
    <message>
        <source>{file}: cannot be decoded as audio ({reason})</source>
        <translation>{file}: 오디오로 디코딩할 수 없습니다({reason})</translation>
    </message>
    <message>
        <source>{file}: contains no audio</source>
        <translation>{file}: 오디오가 들어 있지 않습니다</translation>
    </message>
    <message>
        <source>{file}: contains invalid (NaN or infinite) samples</source>
        <translation>{file}: 잘못된 샘플(NaN 또는 무한대)이 들어 있습니다</translation>
    </message>
    <message>
        <source>Calibration: the recording is shorter than the test signal.</source>
        <translation>보정: 녹음이 테스트 신호보다 짧습니다.</translation>
    </message>
    <message>
        <source>Calibration failed: the test signal was not heard in the input. Check that the output plays (volume up, not muted) and that the input hears it.</source>
        <translation>보정에 실패했습니다. 입력에서 테스트 신호가 들리지 않았습니다. 출력이 재생되는지(볼륨을 올리고 음소거 해제), 입력 장치가 그 소리를 듣는지 확인하세요.</translation>
    </message>
    <message>
        <source>Calibration timed out: the input stopped delivering sound.</source>
        <translation>보정 시간이 초과되었습니다. 입력에서 더 이상 소리가 들어오지 않습니다.</translation>
    </message>
    <message>
        <source>The disk is full: the take was stopped at {seconds:.1f} s and what was recorded is kept.</source>
        <translation>디스크가 가득 찼습니다. 테이크를 {seconds:.1f}초에서 멈췄고, 녹음된 내용은 보관했습니다.</translation>
    </message>
    <message>
        <source>The take could not be written to disk ({reason}): it was stopped at {seconds:.1f} s and what was recorded is kept.</source>
        <translation>테이크를 디스크에 쓰지 못했습니다({reason}). 테이크를 {seconds:.1f}초에서 멈췄고, 녹음된 내용은 보관했습니다.</translation>
    </message>
    <message>
        <source>The disk is full: there is no room to record a take. Free some space and try again.</source>
        <translation>디스크가 가득 찼습니다. 테이크를 녹음할 공간이 없습니다. 공간을 확보한 뒤 다시 시도하세요.</translation>
    </message>
    <message>
        <source>The take could not be written to disk ({reason}); nothing was recorded.</source>
        <translation>테이크를 디스크에 쓰지 못했습니다({reason}). 아무것도 녹음되지 않았습니다.</translation>
    </message>
    <message>
        <source>The disk is full: the take was stopped at {seconds:.1f} s. What was recorded is kept and will be added to your takes the next time the app starts.</source>
        <translation>디스크가 가득 찼습니다. 테이크를 {seconds:.1f}초에서 멈췄습니다. 녹음된 내용은 보관했으며 다음에 앱을 시작할 때 테이크 목록에 추가됩니다.</translation>
    </message>
    <message>
        <source>The library is busy in another YouSync window or command (the database is locked). Close it or wait a moment, then try again.</source>
        <translation>다른 YouSync 창이나 명령이 라이브러리를 사용하고 있습니다(데이터베이스가 잠겨 있음). 그쪽을 닫거나 잠시 기다린 뒤 다시 시도하세요.</translation>
    </message>
    <message>
        <source>The library could not be read or written because of a disk error. Check that the drive is connected and working.</source>
        <translation>디스크 오류로 라이브러리를 읽거나 쓸 수 없습니다. 드라이브가 연결되어 있고 정상인지 확인하세요.</translation>
    </message>
    <message>
        <source>The library is read-only, so the change could not be saved. Check the permissions of the data folder.</source>
        <translation>라이브러리가 읽기 전용이라 변경 내용을 저장하지 못했습니다. 데이터 폴더의 권한을 확인하세요.</translation>
    </message>
    <message>
        <source>The library&apos;s database file is damaged.</source>
        <translation>라이브러리 데이터베이스 파일이 손상되었습니다.</translation>
    </message>
    <message>
        <source>The disk is full, so the library could not save the change.</source>
        <translation>디스크가 가득 차서 라이브러리에 변경 내용을 저장하지 못했습니다.</translation>
    </message>
    <message>
        <source>The library&apos;s database could not be opened.</source>
        <translation>라이브러리 데이터베이스를 열 수 없습니다.</translation>
    </message>
    <message>
        <source>The library&apos;s database reported an error ({kind}). Details are in the log.</source>
        <translation>라이브러리 데이터베이스에서 오류가 발생했습니다({kind}). 자세한 내용은 로그에 있습니다.</translation>
    </message>
    <message>
        <source>Something went wrong ({kind}). Details are in the log.</source>
        <translation>문제가 발생했습니다({kind}). 자세한 내용은 로그에 있습니다.</translation>
    </message>
    <message>
        <source>Something went wrong ({kind}). Details are in {log_file}</source>
        <translation>문제가 발생했습니다({kind}). 자세한 내용은 다음 로그에 있습니다: {log_file}</translation>
    </message>
    <message>
        <source>The library is open in another YouSync window (process {pid}).</source>
        <translation>라이브러리가 다른 YouSync 창(프로세스 {pid})에서 열려 있습니다.</translation>
    </message>
    <message>
        <source>The library is being changed by the command `yousync {command}` (process {pid}).</source>
        <translation>`yousync {command}` 명령(프로세스 {pid})이 라이브러리를 바꾸는 중입니다.</translation>
    </message>
    <message>
        <source>Waiting for another program to finish writing to the library…</source>
        <translation>다른 프로그램이 라이브러리에 쓰기를 마치기를 기다리는 중…</translation>
    </message>
    <message>
        <source>Waiting for another program ({program}, process {pid}) to finish writing to the library…</source>
        <translation>다른 프로그램({program}, 프로세스 {pid})이 라이브러리에 쓰기를 마치기를 기다리는 중…</translation>
    </message>
    <message>
        <source>Another program is still writing to the library, so it cannot be opened for changes now.</source>
        <translation>다른 프로그램이 아직 라이브러리에 쓰고 있어서 지금은 수정할 수 있게 열 수 없습니다.</translation>
    </message>
    <message>
        <source>Another program ({program}, process {pid}) is still writing to the library, so it cannot be opened for changes now.</source>
        <translation>다른 프로그램({program}, 프로세스 {pid})이 아직 라이브러리에 쓰고 있어서 지금은 수정할 수 있게 열 수 없습니다.</translation>
    </message>
    <message>
        <source>The library file {path} is damaged and cannot be opened.</source>
        <translation>라이브러리 파일 {path}이(가) 손상되어 열 수 없습니다.</translation>
    </message>
    <message>
        <source>The file {path} is not a YouSync library.</source>
        <translation>{path} 파일은 YouSync 라이브러리가 아닙니다.</translation>
    </message>
    <message>
        <source>The library file {path} is a folder, not a file.</source>
        <translation>라이브러리 파일 {path}이(가) 파일이 아니라 폴더입니다.</translation>
    </message>
    <message>
        <source>The library folder {path} is read-only: nothing can be saved there.</source>
        <translation>라이브러리 폴더 {path}이(가) 읽기 전용이라 아무것도 저장할 수 없습니다.</translation>
    </message>
    <message>
        <source>The library file {path} is read-only: nothing can be saved in it.</source>
        <translation>라이브러리 파일 {path}이(가) 읽기 전용이라 아무것도 저장할 수 없습니다.</translation>
    </message>
    <message>
        <source>The library at {path} cannot be used: {reason}.</source>
        <translation>{path}의 라이브러리를 사용할 수 없습니다: {reason}.</translation>
    </message>
    <message>
        <source>The library file {path} is missing, but the media folder still holds scenes ({scenes}) and takes ({takes}).</source>
        <translation>라이브러리 파일 {path}이(가) 없지만, 미디어 폴더에는 아직 장면({scenes}개)과 테이크({takes}개)가 있습니다.</translation>
    </message>
    <message>
        <source>The library file {path} is empty, but the media folder still holds scenes ({scenes}) and takes ({takes}).</source>
        <translation>라이브러리 파일 {path}이(가) 비어 있지만, 미디어 폴더에는 아직 장면({scenes}개)과 테이크({takes}개)가 있습니다.</translation>
    </message>
    <message>
        <source>There is no library at {path} to open read-only.</source>
        <translation>{path}에 읽기 전용으로 열 라이브러리가 없습니다.</translation>
    </message>
    <message>
        <source>This library was saved by a newer version of YouSync (format {revision}). This version cannot change it: update YouSync to keep working with it.</source>
        <translation>이 라이브러리는 더 새 버전의 YouSync가 저장했습니다(형식 {revision}). 이 버전은 바꿀 수 없으니, 계속 쓰려면 YouSync를 업데이트하세요.</translation>
    </message>
    <message>
        <source>The library could not be upgraded to this version of YouSync and was left as it was (a backup made just before is in {folder}).</source>
        <translation>라이브러리를 이 버전의 YouSync에 맞게 업그레이드하지 못해 그대로 두었습니다(바로 전에 만든 백업은 {folder}에 있습니다).</translation>
    </message>
    <message>
        <source>The library could not be backed up before its upgrade, so it was not upgraded: {reason}.</source>
        <translation>업그레이드 전에 라이브러리를 백업하지 못해서 업그레이드하지 않았습니다: {reason}.</translation>
    </message>
    <message>
        <source>There is no backup of the library to restore.</source>
        <translation>복원할 라이브러리 백업이 없습니다.</translation>
    </message>
    <message>
        <source>The backup {name} could not be restored: {reason}.</source>
        <translation>백업 {name}을(를) 복원하지 못했습니다: {reason}.</translation>
    </message>
    <message>
        <source>Scene folder {folder}: it holds no scene description (manifest.json).</source>
        <translation>장면 폴더 {folder}: 장면 설명(manifest.json)이 없습니다.</translation>
    </message>
    <message>
        <source>Scene folder {folder}: its scene description cannot be read.</source>
        <translation>장면 폴더 {folder}: 장면 설명을 읽을 수 없습니다.</translation>
    </message>
    <message>
        <source>Scene folder {folder}: its {kind} file is missing.</source>
        <translation>장면 폴더 {folder}: {kind} 파일이 없습니다.</translation>
    </message>
    <message>
        <source>Scene folder {folder}: the scene “{title}” is already in the library.</source>
        <translation>장면 폴더 {folder}: “{title}” 장면은 이미 라이브러리에 있습니다.</translation>
    </message>
    <message>
        <source>Take {file}: it cannot be read as a recording.</source>
        <translation>테이크 {file}: 녹음으로 읽을 수 없습니다.</translation>
    </message>
    <message>
        <source>Take {file}: the scene it was recorded for is not in the library.</source>
        <translation>테이크 {file}: 녹음한 장면이 라이브러리에 없습니다.</translation>
    </message>
    <message>
        <source>Take {file}: line {line} is not part of its scene.</source>
        <translation>테이크 {file}: {line}번 대사가 그 장면에 없습니다.</translation>
    </message>
    <message>
        <source>A take was recovered after a crash.</source>
        <translation>비정상 종료 후 테이크 1개를 복구했습니다.</translation>
    </message>
    <message>
        <source>{count} takes were recovered after a crash.</source>
        <translation>비정상 종료 후 테이크 {count}개를 복구했습니다.</translation>
    </message>
    <message>
        <source>A take whose recording had gone missing is back.</source>
        <translation>녹음 파일이 없어졌던 테이크 1개가 다시 돌아왔습니다.</translation>
    </message>
    <message>
        <source>{count} takes whose recordings had gone missing are back.</source>
        <translation>녹음 파일이 없어졌던 테이크 {count}개가 다시 돌아왔습니다.</translation>
    </message>
    <message>
        <source>A take&apos;s recording is missing from the library folder; the take is hidden until the file is back.</source>
        <translation>테이크 1개의 녹음 파일이 라이브러리 폴더에 없습니다. 파일이 돌아올 때까지 이 테이크를 숨깁니다.</translation>
    </message>
    <message>
        <source>{count} takes&apos; recordings are missing from the library folder; the takes are hidden until the files are back.</source>
        <translation>테이크 {count}개의 녹음 파일이 라이브러리 폴더에 없습니다. 파일이 돌아올 때까지 이 테이크들을 숨깁니다.</translation>
    </message>
    <message>
        <source>A recording that could not be added as a take was moved to {folder}.</source>
        <translation>테이크로 추가할 수 없는 녹음 파일 1개를 {folder}(으)로 옮겼습니다.</translation>
    </message>
    <message>
        <source>{count} recordings that could not be added as takes were moved to {folder}.</source>
        <translation>테이크로 추가할 수 없는 녹음 파일 {count}개를 {folder}(으)로 옮겼습니다.</translation>
    </message>
    <message>
        <source>Cannot reach the server {server}: {reason}</source>
        <translation>서버 {server}에 연결할 수 없습니다: {reason}</translation>
    </message>
    <message>
        <source>The server {server} did not answer in time.</source>
        <translation>서버 {server}가 제시간에 응답하지 않았습니다.</translation>
    </message>
    <message>
        <source>The server {server} had a problem (HTTP {status}); it will be tried again.</source>
        <translation>서버 {server}에 문제가 생겼습니다(HTTP {status}). 다시 시도합니다.</translation>
    </message>
    <message>
        <source>The server {server} is busy with this request; it will be tried again.</source>
        <translation>서버 {server}가 이 요청을 처리하는 중입니다. 다시 시도합니다.</translation>
    </message>
    <message>
        <source>The server refused the request (HTTP {status}): {reason}</source>
        <translation>서버가 요청을 거절했습니다(HTTP {status}): {reason}</translation>
    </message>
    <message>
        <source>The server does not have this: {reason}</source>
        <translation>서버에 해당 항목이 없습니다: {reason}</translation>
    </message>
    <message>
        <source>The server sent an answer YouSync cannot read: {reason}</source>
        <translation>서버가 YouSync가 읽을 수 없는 응답을 보냈습니다: {reason}</translation>
    </message>
    <message>
        <source>The server kept redirecting the request to {url}.</source>
        <translation>서버가 요청을 계속 {url}(으)로 넘겼습니다.</translation>
    </message>
    <message>
        <source>Please sign in to {server} again. Your queued takes are kept.</source>
        <translation>{server}에 다시 로그인해 주세요. 대기 중인 녹음은 그대로 보관됩니다.</translation>
    </message>
    <message>
        <source>Sign-in is not set up for the server profile {profile}: it has no OAuth client id.</source>
        <translation>서버 프로필 {profile}에 로그인이 설정되지 않았습니다: OAuth 클라이언트 ID가 없습니다.</translation>
    </message>
    <message>
        <source>Sign-in did not complete: {reason}</source>
        <translation>로그인이 완료되지 않았습니다: {reason}</translation>
    </message>
    <message>
        <source>No system keychain is available: you stay signed in only until YouSync closes.</source>
        <translation>시스템 키체인을 사용할 수 없습니다. YouSync를 닫을 때까지만 로그인 상태가 유지됩니다.</translation>
    </message>
    <message>
        <source>There is no server profile called {name}.</source>
        <translation>{name}(이)라는 서버 프로필이 없습니다.</translation>
    </message>
    <message>
        <source>A server profile called {name} already exists.</source>
        <translation>{name}(이)라는 서버 프로필이 이미 있습니다.</translation>
    </message>
    <message>
        <source>{url} is not a server address (use http:// or https://).</source>
        <translation>{url}은(는) 서버 주소가 아닙니다(http:// 또는 https://를 사용하세요).</translation>
    </message>
    <message>
        <source>The analysis did not finish within {minutes} minutes.</source>
        <translation>분석이 {minutes}분 안에 끝나지 않았습니다.</translation>
    </message>
    <message>
        <source>The server could not analyse the take: {reason}</source>
        <translation>서버가 녹음을 분석하지 못했습니다: {reason}</translation>
    </message>
    <message>
        <source>The server no longer has this analysis (job {job_id}).</source>
        <translation>서버에 이 분석이 더 이상 없습니다(작업 {job_id}).</translation>
    </message>
    <message>
        <source>The take to upload is no longer in the library (take {take}).</source>
        <translation>업로드할 녹음이 라이브러리에 더 이상 없습니다(녹음 {take}).</translation>
    </message>
</context>
<context>
    <name>settings</name>
    <message>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <source>Window size and position</source>
        <translation>창 크기와 위치</translation>
    </message>
    <message>
        <source>Window layout</source>
        <translation>창 배치</translation>
    </message>
    <message>
        <source>Demo scenes installed</source>
        <translation>데모 장면 설치 여부</translation>
    </message>
    <message>
        <source>Microphone</source>
        <translation>마이크</translation>
    </message>
    <message>
        <source>Speakers</source>
        <translation>스피커</translation>
    </message>
    <message>
        <source>Sample rate</source>
        <translation>샘플레이트</translation>
    </message>
    <message>
        <source>Audio buffer latency</source>
        <translation>오디오 버퍼 지연</translation>
    </message>
    <message>
        <source>Latency calibrations</source>
        <translation>지연 보정 값</translation>
    </message>
    <message>
        <source>Recorded before the line</source>
        <translation>대사 앞 여유</translation>
    </message>
    <message>
        <source>Recorded after the line</source>
        <translation>대사 뒤 여유</translation>
    </message>
    <message>
        <source>Count-in clicks</source>
        <translation>카운트인 클릭 수</translation>
    </message>
    <message>
        <source>Pitch display</source>
        <translation>음높이 표시</translation>
    </message>
    <message>
        <source>Servers</source>
        <translation>서버</translation>
    </message>
    <message>
        <source>Server in use</source>
        <translation>사용 중인 서버</translation>
    </message>
    <message>
        <source>Send new takes for analysis</source>
        <translation>새 녹음을 분석에 보내기</translation>
    </message>
</context>
</TS>
