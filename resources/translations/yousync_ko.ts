<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko" sourcelanguage="en">
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
        <source>Could not install the demo scenes: {reason}</source>
        <translation>데모 장면을 설치하지 못했습니다: {reason}</translation>
    </message>
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
        <source>“{title}” is already in the library</source>
        <translation>“{title}” 장면은 이미 라이브러리에 있습니다</translation>
    </message>
    <message>
        <source>Imported “{title}”</source>
        <translation>“{title}” 장면을 가져왔습니다</translation>
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
        <source>Delete failed</source>
        <translation>삭제 실패</translation>
    </message>
    <message>
        <source>Could not delete “{title}”.</source>
        <translation>“{title}” 장면을 삭제하지 못했습니다.</translation>
    </message>
    <message>
        <source>Deleted “{title}”</source>
        <translation>“{title}” 장면을 삭제했습니다</translation>
    </message>
    <message>
        <source>About YouSync</source>
        <translation>YouSync 정보</translation>
    </message>
    <message>
        <source>&lt;h3&gt;YouSync Desktop {version}&lt;/h3&gt;&lt;p&gt;Practise dubbing movie scenes: record each line over the background track and see how close you came to the actor.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;YouSync Desktop {version}&lt;/h3&gt;&lt;p&gt;영화 장면으로 더빙을 연습해 보세요. 배경음에 맞춰 대사를 한 줄씩 녹음하고, 배우와 얼마나 비슷하게 말했는지 확인할 수 있습니다.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Could not save settings: {reason}</source>
        <translation>설정을 저장하지 못했습니다: {reason}</translation>
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
        <source>Scene thumbnail</source>
        <translation>장면 미리보기 이미지</translation>
    </message>
    <message>
        <source>Lines of the selected scene</source>
        <translation>선택한 장면의 대사</translation>
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
        <source>User interface language</source>
        <translation>화면 표시 언어</translation>
    </message>
</context>
</TS>
